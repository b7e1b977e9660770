"""System checks for dash's settings and wiring."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import checks

from dash import conf

__all__ = ["register"]

_MIDDLEWARE = "dash.middleware.CauserMiddleware"


def _check_settings(**kwargs: Any) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    try:
        conf.dash_settings()
    except TypeError as exc:
        errors.append(checks.Error(str(exc), id="dash.E001"))
    errors.extend(
        checks.Warning(
            f"settings.DASH has an unknown key {key!r}.",
            hint=(
                "Known keys: IGNORE_MODELS, HIDDEN_FIELDS, RAISE_LISTENER_ERRORS, "
                "BROADCAST_POLL_INTERVAL, CHANNELS."
            ),
            id="dash.W001",
        )
        for key in conf.unknown_keys()
    )
    return errors


def _check_wiring(**kwargs: Any) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    if _MIDDLEWARE not in settings.MIDDLEWARE:
        errors.append(
            checks.Warning(
                f"{_MIDDLEWARE} is not in MIDDLEWARE: events will not know "
                "which user caused them.",
                hint="Add it after AuthenticationMiddleware.",
                id="dash.W002",
            )
        )
    names = [config.name for config in apps.get_app_configs()]
    if "django.contrib.admin" in names and names.index("dash") > names.index(
        "django.contrib.admin"
    ):
        errors.append(
            checks.Warning(
                "'dash' comes after 'django.contrib.admin' in INSTALLED_APPS, so "
                "the admin pages do not load dash-wire.js.",
                hint="Move 'dash' above 'django.contrib.admin'.",
                id="dash.W003",
            )
        )
    return errors


def register() -> None:
    """Register dash's checks; registering twice is harmless."""
    checks.register(_check_settings)
    checks.register(_check_wiring)
