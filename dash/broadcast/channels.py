"""Broadcast channels and who may read them.

Model events go to ``"model.<app_label>.<model_name>"``, readable by active
staff users who may view or change that model. ``"dash"``, the default
channel, is readable by active staff users, and each channel named in
``DASH["CHANNELS"]`` by the staff users its rule admits. Any other channel
is readable by no one, so a mistyped channel leaks nothing. A user who is
not active staff reads nothing.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.auth import get_permission_codename

from dash.conf import dash_settings

__all__ = [
    "MODEL_CHANNEL_PREFIX",
    "can_read_channel",
    "declared_channels",
    "readable_channels",
]

MODEL_CHANNEL_PREFIX = "model."
#: The channel of events that do not name one; readable by all staff.
DEFAULT_CHANNEL = "dash"


def _is_active_staff(user: Any) -> bool:
    return bool(
        user is not None and user.is_authenticated and user.is_active and user.is_staff
    )


def _can_view_model(user: Any, label: str) -> bool:
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return False
    opts = model._meta
    return any(
        user.has_perm(f"{opts.app_label}.{get_permission_codename(action, opts)}")
        for action in ("view", "change")
    )


def can_read_channel(user: Any, channel: str) -> bool:
    """Return whether ``user`` may receive the events broadcast on ``channel``."""
    if not _is_active_staff(user):
        return False
    if channel.startswith(MODEL_CHANNEL_PREFIX):
        return _can_view_model(user, channel.removeprefix(MODEL_CHANNEL_PREFIX))
    if channel == DEFAULT_CHANNEL:
        return True
    rules = dict(dash_settings().channels)
    if channel not in rules:
        return False
    permission = rules[channel]
    return permission is None or bool(user.has_perm(permission))


def declared_channels() -> list[str]:
    """Return every channel some stream may read, each once.

    The default first, then the project's ``DASH["CHANNELS"]`` in order,
    then one per installed model. A broadcast on any other channel reaches
    no browser.
    """
    return list(
        dict.fromkeys(
            [
                DEFAULT_CHANNEL,
                *(name for name, _ in dash_settings().channels),
                *(
                    f"{MODEL_CHANNEL_PREFIX}{model._meta.label_lower}"
                    for model in apps.get_models()
                ),
            ]
        )
    )


def readable_channels(user: Any) -> list[str]:
    """Return every channel ``user`` may read: the default, the project's, each model's.

    Empty for users who are not active staff.
    """
    if not _is_active_staff(user):
        return []
    model_channels = [
        f"{MODEL_CHANNEL_PREFIX}{model._meta.label_lower}"
        for model in apps.get_models()
        if _can_view_model(user, model._meta.label_lower)
    ]
    project_channels = [
        name for name, _ in dash_settings().channels if can_read_channel(user, name)
    ]
    return [DEFAULT_CHANNEL, *project_channels, *model_channels]
