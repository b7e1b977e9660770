from django.apps import AppConfig


class ActivityLogConfig(AppConfig):
    name = "dash_activity_log"
    label = "dash_activity_log"
    verbose_name = "Activity log"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from dash_activity_log import recorder

        recorder.connect()
