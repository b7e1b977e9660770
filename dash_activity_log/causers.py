"""Unlink a deleted user from the activities written while deleting them.

Deleting a user rewrites or deletes the rows that point at them (SET_NULL,
CASCADE), and each of those changes is logged, in the delete's transaction,
with the user as its causer when they delete their own account. Django's
``SET_NULL`` on ``Activity.causer`` only covers the activities that existed
when the delete began, so these new ones would point at a row the same
transaction removes, and the delete would fail at commit. Once the user's
row is gone, they keep the user's name and lose the link.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.signals import post_delete

from dash_activity_log.models import Activity

__all__ = ["connect"]

logger = logging.getLogger(__name__)


def _unlink(
    sender: type[models.Model], instance: Any, using: str, **kwargs: Any
) -> None:
    unlinked = (
        Activity.objects.using(using).filter(causer_id=instance.pk).update(causer=None)
    )
    if unlinked:
        logger.debug(
            "Unlinked %s activities from deleted user %s", unlinked, instance.pk
        )


def connect() -> None:
    """Unlink users as they are deleted; connecting twice is harmless."""
    post_delete.connect(
        _unlink,
        sender=settings.AUTH_USER_MODEL,
        dispatch_uid="dash_activity_log.causers.unlink",
    )
