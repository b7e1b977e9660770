"""The activity log's app config: it starts listening once models are ready."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivityLogConfig(AppConfig):
    name = "dash_activity_log"
    label = "dash_activity_log"
    verbose_name = _("Activity log")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from dash_activity_log import causers, checks, conf, recorder

        conf.connect()
        checks.register()
        recorder.connect()
        causers.connect()
