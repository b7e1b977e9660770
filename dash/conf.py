"""dash's settings, read from ``settings.DASH`` at call time.

``settings.DASH`` is an optional dict; every key is optional:

``IGNORE_MODELS``
    More app labels (``"sessions"``) or model labels (``"auth.permission"``)
    whose changes emit no events. They add to ``DEFAULT_IGNORE_MODELS``
    (Django's bookkeeping models and django-eventstream's storage), which
    always stay ignored: broadcasting a change to the storage would store a
    new event, without end.
``HIDDEN_FIELDS``
    More field-name patterns (``fnmatch`` style) whose values never appear in
    a payload or change set. They add to ``DEFAULT_HIDDEN_FIELDS``
    (``password``, ``*token*``, ``*secret*``), which always stay hidden.
``RAISE_LISTENER_ERRORS``
    Re-raise a listener's exception instead of logging it; for tests and
    development. Default: ``False``.
``BROADCAST_POLL_INTERVAL``
    Seconds between two looks, by a serving process with open streams, at
    django-eventstream's database storage for events that other processes
    (``manage.py dash_emit``, workers) sent. Unused with ``EVENTSTREAM_REDIS``.
    Default: ``0.5``.

``CHANNELS``
    The broadcast channels of the project's own events, beyond ``"dash"``
    and the model channels, mapped to who may read them: ``None`` for every
    active staff user, or a permission (``"library.view_loan"``). Staff
    streams subscribe to each channel they may read; a channel not listed
    here reaches no browser. Default: ``{}``.

A model can also opt out on its own with a class attribute
``dash_events = False``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed

__all__ = [
    "DEFAULT_BROADCAST_POLL_INTERVAL",
    "DEFAULT_HIDDEN_FIELDS",
    "DEFAULT_IGNORE_MODELS",
    "DashSettings",
    "dash_settings",
]

DEFAULT_IGNORE_MODELS: tuple[str, ...] = (
    "admin.logentry",
    "auth.permission",
    "contenttypes",
    "migrations",
    "sessions",
    "django_eventstream",
)
DEFAULT_HIDDEN_FIELDS: tuple[str, ...] = ("password", "*token*", "*secret*")

DEFAULT_BROADCAST_POLL_INTERVAL = 0.5

_KNOWN_KEYS = frozenset(
    {
        "IGNORE_MODELS",
        "HIDDEN_FIELDS",
        "RAISE_LISTENER_ERRORS",
        "BROADCAST_POLL_INTERVAL",
        "CHANNELS",
    }
)


@dataclass(frozen=True)
class DashSettings:
    """The validated values of ``settings.DASH``."""

    ignore_models: frozenset[str]
    hidden_fields: tuple[str, ...]
    raise_listener_errors: bool
    broadcast_poll_interval: float
    channels: tuple[tuple[str, str | None], ...]


def _as_strings(raw: dict[str, Any], key: str, default: tuple[str, ...]) -> Any:
    value = raw.get(key, default)
    if isinstance(value, str) or not all(isinstance(item, str) for item in value):
        raise TypeError(f"settings.DASH[{key!r}] must be a list of strings.")
    return value


def _positive_seconds(raw: dict[str, Any], key: str, default: float) -> float:
    value = raw.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise TypeError(f"settings.DASH[{key!r}] must be a positive number of seconds.")
    return float(value)


def _channels(raw: dict[str, Any]) -> tuple[tuple[str, str | None], ...]:
    value = raw.get("CHANNELS", {})
    if not isinstance(value, dict) or not all(
        isinstance(name, str) and name and (rule is None or isinstance(rule, str))
        for name, rule in value.items()
    ):
        raise TypeError(
            "settings.DASH['CHANNELS'] must map channel names to None or a "
            "permission such as 'library.view_loan'."
        )
    return tuple(value.items())


@functools.cache
def dash_settings() -> DashSettings:
    """Return dash's settings; cached until a ``setting_changed`` signal.

    Raise ``TypeError`` for a malformed value (the system checks report the
    same at start-up).
    """
    raw = getattr(settings, "DASH", {})
    if not isinstance(raw, dict):
        raise TypeError("settings.DASH must be a dict.")
    return DashSettings(
        ignore_models=frozenset(
            label.lower()
            for label in (
                *DEFAULT_IGNORE_MODELS,
                *_as_strings(raw, "IGNORE_MODELS", ()),
            )
        ),
        hidden_fields=(
            *DEFAULT_HIDDEN_FIELDS,
            *_as_strings(raw, "HIDDEN_FIELDS", ()),
        ),
        raise_listener_errors=bool(raw.get("RAISE_LISTENER_ERRORS", False)),
        broadcast_poll_interval=_positive_seconds(
            raw, "BROADCAST_POLL_INTERVAL", DEFAULT_BROADCAST_POLL_INTERVAL
        ),
        channels=_channels(raw),
    )


def unknown_keys() -> list[str]:
    """Return the keys of ``settings.DASH`` that dash does not know."""
    raw = getattr(settings, "DASH", {})
    return sorted(set(raw) - _KNOWN_KEYS) if isinstance(raw, dict) else []


def _reset(*, setting: str, **kwargs: Any) -> None:
    if setting == "DASH":
        dash_settings.cache_clear()


setting_changed.connect(_reset, dispatch_uid="dash.conf.reset")
