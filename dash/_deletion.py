"""Announce the rows Django changes on its own while it deletes another row.

Every row a delete removes emits its own ``ModelDeleted`` through
``pre_delete``/``post_delete``. Two other kinds of rows change with no
signal at all, and get a ``ModelUpdated`` here:

- rows whose foreign key is ``on_delete=SET_NULL``, ``SET_DEFAULT`` or
  ``SET(...)``, which Django rewrites with plain UPDATEs: ``changes`` holds
  those foreign keys, ``{"old": <deleted id>, "new": <what Django set>}``;
- rows whose many-to-many field held the deleted row, whose links Django
  deletes: ``changes`` is ``{"<field>": {"added": [], "removed": [<id>]}}``.

The rows are read in ``pre_delete`` of the deleted row (one query per
model or many-to-many field that points at it), before Django touches
them, and announced from its ``post_delete``; foreign-key rows are read
again there (one more query) so that the new values are what Django wrote.
Both reads are skipped when nothing listens to that model's update events.
A ``QuerySet.delete()`` of many rows does this once per deleted row.

Note: a row that the same delete both rewrites and removes (it points at
the deleted row through ``SET_NULL`` and cascades from another) emits
``ModelUpdated`` as well as its ``ModelDeleted``. The ids are primary keys;
a foreign key with ``to_field`` reports that field's value as ``old``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import signals

from dash import serialization
from dash._tracking import changes, emit, is_heard, is_tracked
from dash.context import get_causer
from dash.events.model import ModelUpdated

__all__ = ["connect"]

logger = logging.getLogger(__name__)

# What a delete will change, kept on the deleted instance between its
# pre_delete and post_delete.
_PENDING_ATTR = "_dash_delete_effects"

_SET_PATH = "django.db.models.SET"


@dataclass(frozen=True)
class _Rewrite:
    """Rows of ``model`` whose ``foreign_keys`` point at the deleted row."""

    model: type[models.Model]
    foreign_keys: list[models.ForeignObject[Any, Any]]
    #: ``{pk: {attname: value}}`` as the rows were before the delete.
    before: dict[Any, dict[str, Any]]


@dataclass(frozen=True)
class _Unlink:
    """Instances whose many-to-many ``field`` loses the deleted row."""

    field: models.ManyToManyField[Any, Any]
    owners: list[models.Model]

    @property
    def model(self) -> type[models.Model]:
        return self.field.model


def _rewrites(rel: models.ForeignObjectRel) -> bool:
    on_delete = rel.on_delete
    if on_delete is models.SET_NULL or on_delete is models.SET_DEFAULT:
        return True
    # SET(value) builds a new function each time; it identifies itself only
    # through the deconstruct() that migrations use.
    deconstruct = getattr(on_delete, "deconstruct", None)
    return deconstruct is not None and deconstruct()[0] == _SET_PATH


def _relations(
    sender: type[models.Model],
) -> tuple[
    dict[type[models.Model], list[models.ForeignObject[Any, Any]]],
    list[models.ManyToManyField[Any, Any]],
]:
    concrete = sender._meta.concrete_model
    foreign_keys: dict[type[models.Model], list[models.ForeignObject[Any, Any]]] = {}
    many_to_many: list[models.ManyToManyField[Any, Any]] = []
    for rel in sender._meta.related_objects:
        # A child's relations include those to its parents; the parent row
        # has its own pre_delete, which handles them.
        if rel.model._meta.concrete_model is not concrete:
            continue
        owner = rel.related_model
        if not is_tracked(owner) or not is_heard(owner, ModelUpdated):
            continue
        if isinstance(rel.field, models.ManyToManyField):
            many_to_many.append(rel.field)
        elif _rewrites(rel):
            foreign_keys.setdefault(owner, []).append(rel.field)
    return foreign_keys, many_to_many


def _read_rewrite(
    model: type[models.Model],
    foreign_keys: list[models.ForeignObject[Any, Any]],
    instance: models.Model,
    using: str,
) -> _Rewrite:
    pointing = models.Q()
    for field in foreign_keys:
        pointing |= models.Q(**{field.name: instance})
    rows = (
        model._base_manager.using(using)
        .filter(pointing)
        .order_by("pk")
        .values("pk", *(field.attname for field in foreign_keys))
    )
    return _Rewrite(model, foreign_keys, {row.pop("pk"): row for row in rows})


def _read_unlink(
    field: models.ManyToManyField[Any, Any], instance: models.Model, using: str
) -> _Unlink:
    owners = field.model._base_manager.using(using).filter(**{field.name: instance})
    return _Unlink(field, list(owners.order_by("pk")))


def _on_pre_delete(
    sender: type[models.Model], instance: models.Model, using: str, **kwargs: Any
) -> None:
    foreign_keys, many_to_many = _relations(sender)
    rewrites = [
        _read_rewrite(model, fields, instance, using)
        for model, fields in foreign_keys.items()
    ]
    unlinks = [_read_unlink(field, instance, using) for field in many_to_many]
    effects: list[_Rewrite | _Unlink] = [
        *(rewrite for rewrite in rewrites if rewrite.before),
        *(unlink for unlink in unlinks if unlink.owners),
    ]
    if effects:
        logger.debug(
            "Delete of %s %s changes rows of %s",
            sender._meta.label,
            instance.pk,
            sorted({effect.model._meta.label for effect in effects}),
        )
        instance.__dict__[_PENDING_ATTR] = effects


def _announce_rewrite(rewrite: _Rewrite, using: str, causer: Any) -> None:
    shown = serialization.logged_fields(rewrite.model)
    compared = [field for field in rewrite.foreign_keys if field in shown]
    rows = rewrite.model._base_manager.using(using).in_bulk(list(rewrite.before))
    for pk, before in rewrite.before.items():
        row = rows.get(pk)
        # Gone: another branch of the same delete removed it.
        if row is None:
            continue
        emit(
            ModelUpdated,
            row,
            using=using,
            causer=causer,
            shown=shown,
            changes=changes(row, compared, before, using=using),
        )


def _announce_unlink(
    unlink: _Unlink, removed: models.Model, using: str, causer: Any
) -> None:
    change = {
        unlink.field.name: {
            "added": [],
            "removed": [serialization.to_json_safe(removed.pk)],
        }
    }
    for owner in unlink.owners:
        emit(ModelUpdated, owner, using=using, causer=causer, changes=change)


def _on_post_delete(
    sender: type[models.Model], instance: models.Model, using: str, **kwargs: Any
) -> None:
    effects = instance.__dict__.pop(_PENDING_ATTR, None)
    if not effects:
        return
    causer = get_causer()
    for effect in effects:
        if isinstance(effect, _Rewrite):
            _announce_rewrite(effect, using, causer)
        else:
            _announce_unlink(effect, instance, using, causer)


def connect() -> None:
    """Connect the delete receivers; connecting twice is harmless."""
    signals.pre_delete.connect(_on_pre_delete, dispatch_uid="dash.deletion.pre")
    signals.post_delete.connect(_on_post_delete, dispatch_uid="dash.deletion.post")
