"""What the case domain announces. The kernel imports nothing above it: the layers built on
it (notifications, workflows…) listen to these events, connected in their
`AppConfig.ready()`.

Django signals, sent with `send()` and never `send_robust()`: the listeners run at once,
in the sender's transaction, and an exception in one of them propagates to the operation,
which rolls back whole, the history entry and every row the other listeners wrote with it
(the outbox row of a notification, the process of a submitted case). A signal rather than
an in-process registry of our own because it is the one Django already gives, with the same
guarantees: receivers called in connection order, `dispatch_uid` against double
connection, `has_listeners()` for the test that every event is heard.

Each event is sent with `sender` the model class and the objects as keyword arguments:

- `case_event_recorded(event)` — `CaseEvent.record` appended a history entry;
- `message_posted(message)` — `services.post_message` added a message (with its
  attachments) to a case's thread;
- `referral_submitted(case, user)` — `services.submit_referral`, the one entry point of a
  submission, fired the `submit` or `resubmit` transition (the history entry is recorded
  and announced already).
- `claims_importing(case, user, claims)` — `claims_import.import_claims` is about to write
  claims in bulk (no `post_save` per claim), in its transaction: the listeners fill what they
  derive on the unsaved claims (their prescription, computed once for the case).
"""

from django.dispatch import Signal

case_event_recorded = Signal()
message_posted = Signal()
referral_submitted = Signal()
claims_importing = Signal()
