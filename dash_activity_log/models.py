"""The ``Activity`` model: one row per thing that happened, kept as history."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dash_activity_log.diffs import brief
from dash_activity_log.indexes import PrefixSearchIndex

__all__ = ["USER_AGENT_LENGTH", "Activity"]

#: The length of ``Activity.user_agent``; longer agents are cut to fit.
USER_AGENT_LENGTH = 512


class Activity(models.Model):
    """Something that happened, who did it and to what, as it was at the time.

    A row never depends on what still exists: the subject is kept as a
    content type and a textual id (so integer, UUID and string keys all
    fit), and the causer's name is copied so the history still reads right
    after the user is deleted. ``batch`` groups the rows of one request,
    command run or transaction; ``ip_address`` and ``user_agent`` are filled
    only with ``DASH_ACTIVITY_LOG["REQUEST_METADATA"]`` on.
    """

    # The log's own rows are history, not changes worth an event.
    dash_events: ClassVar[bool] = False

    event = models.CharField(_("event"), max_length=255, db_index=True)
    description = models.TextField(_("description"))
    # PROTECT, not SET_NULL: a null type means "not about a model", so nulling
    # it would silently turn a model's history into something else. A stale
    # content type still names its app and model; removing it
    # (remove_stale_contenttypes) is refused until that history is pruned on
    # purpose.
    # The foreign keys get no index of their own: the subject and causer
    # indexes below lead with them, and each index is paid for on every save.
    subject_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("subject type"),
        db_index=False,
    )
    subject_id = models.CharField(_("subject id"), max_length=255, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    causer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("causer"),
        db_index=False,
    )
    causer_name = models.CharField(_("causer name"), max_length=255, blank=True)
    # DjangoJSONEncoder lets log_activity() take dates, Decimals and UUIDs.
    properties = models.JSONField(
        _("properties"), default=dict, blank=True, encoder=DjangoJSONEncoder
    )
    # Shared by everything one request, command run or transaction changed;
    # null only on rows written before batches were filled.
    batch = models.UUIDField(_("batch"), null=True, blank=True, db_index=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(
        _("user agent"), max_length=USER_AGENT_LENGTH, blank=True
    )
    created_at = models.DateTimeField(
        _("created at"), default=timezone.now, db_index=True
    )
    # The broadcast channel of a custom event logged with log_events(): an
    # activity about no model is shown only to users who may read it.
    channel = models.CharField(_("channel"), max_length=255, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = (
            models.Index(
                fields=["subject_type", "subject_id", "-created_at"],
                name="dash_activity_subject_idx",
            ),
            models.Index(
                fields=["causer", "-created_at"], name="dash_activity_causer_idx"
            ),
            # The admin's search: a whole subject id, or the start of an
            # event or causer name in any case.
            models.Index(fields=["subject_id"], name="dash_activity_subject_id_idx"),
            PrefixSearchIndex(fields=["event"], name="dash_activity_event_upper_idx"),
            PrefixSearchIndex(
                fields=["causer_name"], name="dash_activity_causer_upper_idx"
            ),
        )
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self) -> str:
        # Titles, breadcrumbs and links name an activity by it; a
        # description may be megabytes long.
        return brief(self.description)
