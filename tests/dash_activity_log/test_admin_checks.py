"""The admin check warns when django.contrib.admin's templates come first."""

from __future__ import annotations

from typing import Any

from dash_activity_log.admin_checks import check_app_order


def test_the_usual_order_passes() -> None:
    assert check_app_order() == []


def test_the_admin_before_the_activity_log_is_warned_about(settings: Any) -> None:
    apps = [name for name in settings.INSTALLED_APPS if name != "dash_activity_log"]
    settings.INSTALLED_APPS = [*apps, "dash_activity_log"]

    found = check_app_order()

    assert [(message.id, message.msg, message.hint) for message in found] == [
        (
            "dash_activity_log.W005",
            "'dash_activity_log' comes after 'django.contrib.admin' in "
            "INSTALLED_APPS, so the admin's History pages show no activity "
            "timeline.",
            "Move 'dash_activity_log' above 'django.contrib.admin'.",
        )
    ]


def test_without_the_admin_there_is_nothing_to_check(settings: Any) -> None:
    settings.INSTALLED_APPS = [
        name for name in settings.INSTALLED_APPS if name != "django.contrib.admin"
    ]

    assert check_app_order() == []
