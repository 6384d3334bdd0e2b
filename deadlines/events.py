"""What the deadlines layer announces, on the pattern of `cases.events`: Django signals sent
with `send()` in the sender's transaction, so a listener's failure rolls the operation back.

- `reminder_due(deadline, reminder, summary, overdue)` — `reminders.send_due_reminders`
  wrote the `DeadlineReminder` row of a reminder due; `notifications` listens and writes
  the reminder's notifications in the same transaction (the row and its notifications
  are kept together or not at all).
"""

from django.dispatch import Signal

reminder_due = Signal()
