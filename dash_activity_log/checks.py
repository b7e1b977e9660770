"""System checks for the activity log's settings and wiring."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model

from dash_activity_log import conf

__all__ = ["register"]

MIDDLEWARE = "dash_activity_log.middleware.ActivityLogMiddleware"


def _check_settings(**kwargs: Any) -> list[checks.CheckMessage]:
    raw = conf.raw_settings()
    found: list[checks.CheckMessage] = [
        checks.Error(problem.message, id=problem.id) for problem in conf.problems(raw)
    ]
    if found:
        return found
    found.extend(
        checks.Warning(
            f"settings.DASH_ACTIVITY_LOG has an unknown key {key!r}.",
            hint=f"Known keys: {', '.join(conf.KNOWN_KEYS)}.",
            id="dash_activity_log.W001",
        )
        for key in sorted(set(raw) - set(conf.KNOWN_KEYS))
    )
    found.extend(_check_labels(raw.get("EXCLUDE_MODELS", ()), "EXCLUDE_MODELS"))
    exclude_fields = raw.get("EXCLUDE_FIELDS", {})
    found.extend(_check_labels(exclude_fields, "EXCLUDE_FIELDS", models_only=True))
    found.extend(_check_fields(exclude_fields))
    return found


def _model(label: str) -> type[Model] | None:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _is_app(label: str) -> bool:
    try:
        apps.get_app_config(label)
    except LookupError:
        return False
    return True


def _is_known(label: str, *, models_only: bool) -> bool:
    if "." in label:
        return _model(label) is not None
    return not models_only and _is_app(label)


def _check_labels(
    labels: Iterable[str], key: str, *, models_only: bool = False
) -> list[checks.CheckMessage]:
    return [
        checks.Warning(
            f"DASH_ACTIVITY_LOG[{key!r}] names {label!r}, which is no installed "
            + ("model." if models_only else "app or model."),
            hint=(
                "Use model labels ('library.book')."
                if models_only
                else "Use app labels ('sessions') or model labels ('library.book')."
            ),
            id="dash_activity_log.W002",
        )
        for label in labels
        if not _is_known(label, models_only=models_only)
    ]


def _check_fields(exclude_fields: dict[str, Any]) -> list[checks.CheckMessage]:
    found: list[checks.CheckMessage] = []
    for label, names in exclude_fields.items():
        model = _model(label) if "." in label else None
        if model is None:
            continue
        # Reverse relations never appear in what the activities keep.
        known = {
            field.name
            for field in model._meta.get_fields()
            if not (field.auto_created and not field.concrete)
        }
        found.extend(
            checks.Warning(
                f"DASH_ACTIVITY_LOG['EXCLUDE_FIELDS'] names {name!r}, which is no "
                f"field of {label!r}.",
                hint=f"Its fields are: {', '.join(sorted(known))}.",
                id="dash_activity_log.W003",
            )
            for name in names
            if name not in known
        )
    return found


def _check_wiring(**kwargs: Any) -> list[checks.CheckMessage]:
    try:
        wanted = conf.activity_log_settings().request_metadata
    except ImproperlyConfigured:
        # A malformed value is _check_settings's to report.
        return []
    if wanted and MIDDLEWARE not in settings.MIDDLEWARE:
        return [
            checks.Warning(
                "DASH_ACTIVITY_LOG['REQUEST_METADATA'] is on but "
                f"{MIDDLEWARE} is not in MIDDLEWARE, so no request metadata "
                "is stored.",
                hint=f"Add {MIDDLEWARE!r} to MIDDLEWARE.",
                id="dash_activity_log.W004",
            )
        ]
    return []


def register() -> None:
    """Register the activity log's checks; registering twice is harmless."""
    checks.register(_check_settings)
    checks.register(_check_wiring)
