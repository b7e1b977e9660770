"""Recognise the save that Django's login makes on every sign-in."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from dash.events.base import Event
from dash.events.model import ModelUpdated

__all__ = ["is_login_update"]


def is_login_update(event: Event) -> bool:
    """Return whether ``event`` is a user update that changed only ``last_login``.

    Django's ``update_last_login`` saves the signed-in user with
    ``update_fields=["last_login"]``, so every sign-in dispatches such a
    ``ModelUpdated``. The user model is ``AUTH_USER_MODEL`` or a proxy of
    it; a field named ``last_login`` on any other model does not count.
    """
    return (
        isinstance(event, ModelUpdated)
        and event.changes.keys() == {"last_login"}
        and not event.hidden_changes
        and issubclass(event.model, get_user_model())
    )
