from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from cases import events
        from deadlines import events as deadline_events

        from . import services

        # The outbox is written in the transaction of the history entry or the message.
        events.case_event_recorded.connect(
            services.on_case_event_recorded, dispatch_uid="notifications.case_event"
        )
        events.message_posted.connect(
            services.on_message_posted, dispatch_uid="notifications.message"
        )
        deadline_events.reminder_due.connect(
            services.on_reminder_due, dispatch_uid="notifications.deadline_reminder"
        )
