"""The activity log's settings, read from ``settings.DASH_ACTIVITY_LOG`` at call time.

``settings.DASH_ACTIVITY_LOG`` is an optional dict; every key is optional:

``EXCLUDE_MODELS``
    App labels (``"sessions"``) or model labels (``"library.loan"``) whose
    changes are never logged (the first plans called this ``excludeTables``).
    Default: none.
``EXCLUDE_FIELDS``
    ``{"library.book": ["cover_notes"]}``: fields, by name, left out of the
    logged values and change sets of that model. An update that changed only
    excluded fields counts as changing nothing. Default: none.
``LOG_CREATES``, ``LOG_UPDATES``, ``LOG_DELETES``
    Whether model creations, updates and deletions are logged. Default:
    ``True`` each.
``KEEP_EMPTY_UPDATES``
    Log saves that changed nothing, as ``{"changes": {}}``. A change only to
    ``auto_now`` fields counts as nothing. Default: ``False``.
``RETENTION_DAYS``
    How many days ``manage.py activitylog_prune`` keeps; ``None`` keeps
    everything unless ``--days`` says otherwise. Default: ``None``.
``REQUEST_METADATA``
    Store the client's IP address and user agent with the activities of a
    request; needs ``ActivityLogMiddleware``. Default: ``False``.
``CLIENT_IP_HEADER``
    The ``request.META`` key of a header that your proxy sets to the client's
    address, such as ``"HTTP_X_FORWARDED_FOR"``; its first address is taken.
    Only set it behind a proxy that overwrites the header, or clients choose
    their own address. ``None`` uses ``REMOTE_ADDR``. Default: ``None``.
``SERVER_COMMANDS``
    Management commands that serve others' work rather than doing one job:
    changes made under them are not attributed to ``"system: <command>"``
    and get no command-wide batch. Add long-running task workers here.
    Default: ``DEFAULT_SERVER_COMMANDS``.

Malformed values make ``activity_log_settings()`` raise
``ImproperlyConfigured``; the system checks report every one at start-up.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed

__all__ = [
    "DEFAULT_SERVER_COMMANDS",
    "KNOWN_KEYS",
    "ActivityLogSettings",
    "Problem",
    "activity_log_settings",
    "connect",
    "problems",
    "raw_settings",
]

DEFAULT_SERVER_COMMANDS: tuple[str, ...] = ("runserver", "testserver", "test")

KNOWN_KEYS: tuple[str, ...] = (
    "EXCLUDE_MODELS",
    "EXCLUDE_FIELDS",
    "LOG_CREATES",
    "LOG_UPDATES",
    "LOG_DELETES",
    "KEEP_EMPTY_UPDATES",
    "RETENTION_DAYS",
    "REQUEST_METADATA",
    "CLIENT_IP_HEADER",
    "SERVER_COMMANDS",
)
_FLAG_DEFAULTS = {
    "LOG_CREATES": True,
    "LOG_UPDATES": True,
    "LOG_DELETES": True,
    "KEEP_EMPTY_UPDATES": False,
    "REQUEST_METADATA": False,
}
_META_KEY = re.compile(r"^[A-Z][A-Z0-9_]*$")


@dataclass(frozen=True)
class ActivityLogSettings:
    """The validated values of ``settings.DASH_ACTIVITY_LOG``; labels lowercased."""

    exclude_models: frozenset[str]
    exclude_fields: Mapping[str, frozenset[str]]
    log_creates: bool
    log_updates: bool
    log_deletes: bool
    keep_empty_updates: bool
    retention_days: int | None
    request_metadata: bool
    client_ip_header: str | None
    server_commands: frozenset[str]

    def excludes_model(self, app_label: str, label_lower: str) -> bool:
        """Return whether a model of that app and label is never logged."""
        return app_label in self.exclude_models or label_lower in self.exclude_models


@dataclass(frozen=True)
class Problem:
    """A malformed setting: the system check id it is reported under, and why."""

    id: str
    message: str


def raw_settings() -> Any:
    """Return ``settings.DASH_ACTIVITY_LOG`` as given, ``{}`` when unset."""
    return getattr(settings, "DASH_ACTIVITY_LOG", {})


def _is_strings(value: Any) -> bool:
    return isinstance(value, list | tuple | set | frozenset) and all(
        isinstance(item, str) for item in value
    )


def _field_problems(value: Any) -> list[Problem]:
    if isinstance(value, Mapping) and all(
        isinstance(label, str) and _is_strings(names) for label, names in value.items()
    ):
        return []
    return [
        Problem(
            "dash_activity_log.E003",
            "DASH_ACTIVITY_LOG['EXCLUDE_FIELDS'] must map model labels to lists "
            "of field names, such as {'library.book': ['cover_notes']}.",
        )
    ]


def problems(raw: Any) -> list[Problem]:
    """Return every malformed value in ``raw``, a ``DASH_ACTIVITY_LOG`` dict."""
    if not isinstance(raw, Mapping):
        return [
            Problem(
                "dash_activity_log.E001", "settings.DASH_ACTIVITY_LOG must be a dict."
            )
        ]
    found = []
    for key in ("EXCLUDE_MODELS", "SERVER_COMMANDS"):
        if key in raw and not _is_strings(raw[key]):
            found.append(
                Problem(
                    "dash_activity_log.E002",
                    f"DASH_ACTIVITY_LOG[{key!r}] must be a list of strings.",
                )
            )
    found.extend(_field_problems(raw.get("EXCLUDE_FIELDS", {})))
    found.extend(
        Problem(
            "dash_activity_log.E004",
            f"DASH_ACTIVITY_LOG[{key!r}] must be True or False.",
        )
        for key in _FLAG_DEFAULTS
        if key in raw and not isinstance(raw[key], bool)
    )
    days = raw.get("RETENTION_DAYS")
    if days is not None and (
        isinstance(days, bool) or not isinstance(days, int) or days < 1
    ):
        found.append(
            Problem(
                "dash_activity_log.E005",
                "DASH_ACTIVITY_LOG['RETENTION_DAYS'] must be a whole number of "
                "days, 1 or more, or None to keep everything.",
            )
        )
    header = raw.get("CLIENT_IP_HEADER")
    if header is not None and not (isinstance(header, str) and _META_KEY.match(header)):
        found.append(
            Problem(
                "dash_activity_log.E006",
                "DASH_ACTIVITY_LOG['CLIENT_IP_HEADER'] must be a request.META "
                f"key such as 'HTTP_X_FORWARDED_FOR', not {header!r}.",
            )
        )
    return found


@functools.cache
def activity_log_settings() -> ActivityLogSettings:
    """Return the activity log's settings; cached until a ``setting_changed``.

    Raise ``ImproperlyConfigured`` naming the first malformed value.
    """
    raw = raw_settings()
    found = problems(raw)
    if found:
        raise ImproperlyConfigured(found[0].message)
    flags = {key: raw.get(key, default) for key, default in _FLAG_DEFAULTS.items()}
    return ActivityLogSettings(
        exclude_models=frozenset(
            label.lower() for label in raw.get("EXCLUDE_MODELS", ())
        ),
        exclude_fields={
            label.lower(): frozenset(names)
            for label, names in raw.get("EXCLUDE_FIELDS", {}).items()
        },
        log_creates=flags["LOG_CREATES"],
        log_updates=flags["LOG_UPDATES"],
        log_deletes=flags["LOG_DELETES"],
        keep_empty_updates=flags["KEEP_EMPTY_UPDATES"],
        retention_days=raw.get("RETENTION_DAYS"),
        request_metadata=flags["REQUEST_METADATA"],
        client_ip_header=raw.get("CLIENT_IP_HEADER"),
        server_commands=frozenset(raw.get("SERVER_COMMANDS", DEFAULT_SERVER_COMMANDS)),
    )


def _reset(*, setting: str, **kwargs: Any) -> None:
    if setting == "DASH_ACTIVITY_LOG":
        activity_log_settings.cache_clear()


def connect() -> None:
    """Forget the cached settings when a test overrides them; twice is harmless."""
    setting_changed.connect(_reset, dispatch_uid="dash_activity_log.conf.reset")
