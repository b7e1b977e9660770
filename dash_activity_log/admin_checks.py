"""Check that the activity log's admin templates can take effect."""

from __future__ import annotations

from django.apps import apps
from django.core import checks

__all__ = ["check_app_order"]


def check_app_order() -> list[checks.CheckMessage]:
    """Warn when the admin's templates would hide the History timeline.

    The timeline's ``admin/object_history.html`` wraps the admin's own, so
    it is found first only when ``dash_activity_log`` comes before
    ``django.contrib.admin`` in ``INSTALLED_APPS``.
    """
    names = [config.name for config in apps.get_app_configs()]
    if "django.contrib.admin" not in names or "dash_activity_log" not in names:
        return []
    if names.index("dash_activity_log") < names.index("django.contrib.admin"):
        return []
    return [
        checks.Warning(
            "'dash_activity_log' comes after 'django.contrib.admin' in "
            "INSTALLED_APPS, so the admin's History pages show no activity "
            "timeline.",
            hint="Move 'dash_activity_log' above 'django.contrib.admin'.",
            id="dash_activity_log.W005",
        )
    ]
