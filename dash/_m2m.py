"""Turn many-to-many changes into update events of the model that owns the field.

``add()``, ``remove()``, ``clear()`` and ``set()`` on a many-to-many manager
send ``m2m_changed``; each becomes a ``ModelUpdating`` before the write and
a ``ModelUpdated`` after it, with
``changes = {"<field>": {"added": [ids], "removed": [ids]}}``.

The events always belong to the model that declares the field, whichever
side the change was made from, because ``changes`` names that model's
field: ``post.tags.add(tag)`` and ``tag.posts.add(post)`` both emit
``ModelUpdated`` for ``post`` with ``{"tags": {"added": [tag.pk], ...}}``.
A change from the reverse side emits a ``ModelUpdating`` and a
``ModelUpdated`` for each affected owner, loaded in one query. A
symmetrical relation to self changes both ends, so both get their events.
A field with a hidden name is named in ``hidden_changes`` instead, without
its ids.
The tags themselves get none: none of their fields changed.

Only ids that really change are listed: ``add()`` of an id already linked,
or ``remove()`` of one that is not, lists nothing, and a change that lists
nothing emits nothing. ``remove()`` and ``clear()`` cost one query to learn
which links exist; nothing is read, and nothing emitted, when no one listens
to the owner's update events. ``set()`` is a ``remove()`` then an ``add()``,
so it emits up to two pairs of events.

Note: while dash is connected, Django sends ``m2m_changed`` for every
relation, which turns off its single-query ``add()`` for auto-created
through tables: each ``add()`` reads the existing links first. The ids are
read as primary keys, so a through model whose foreign keys point at
another field (``to_field``) gets wrong ids in its ``removed`` lists.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import signals

from dash import serialization
from dash._tracking import emit, is_heard, is_tracked
from dash.context import get_causer
from dash.events.model import ModelUpdated, ModelUpdating

__all__ = ["connect"]

# The changes worked out in pre_<action>, kept on the instance whose manager
# was used, by through model, until post_<action> of the same call.
_PENDING_ATTR = "_dash_m2m"

_KEYS = {"pre_add": "added", "pre_remove": "removed", "pre_clear": "removed"}

Plan = list[tuple[models.Model, dict[str, dict[str, Any]]]]


def _field(
    owner: type[models.Model], through: type[models.Model]
) -> models.ManyToManyField[Any, Any]:
    for field in owner._meta.many_to_many:
        if field.remote_field.through is through:
            return field
    raise LookupError(f"{owner._meta.label} has no many-to-many through {through}.")


def _changing_ids(
    instance: models.Model,
    field: models.ManyToManyField[Any, Any],
    reverse: bool,
    action: str,
    pk_set: set[Any] | None,
) -> list[Any]:
    if action == "pre_add":
        # Django has already left out the ids that are linked.
        return sorted(pk_set or ())
    accessor = field.remote_field.get_accessor_name() if reverse else field.name
    # A change from the reverse side was made through its accessor.
    assert accessor is not None
    # The manager, not the through table, so that a default manager's
    # filters limit what is read just as they limit what Django deletes.
    linked = getattr(instance, accessor).values_list("pk", flat=True)
    if pk_set is not None:
        linked = linked.filter(pk__in=pk_set)
    return sorted(linked)


def _change(
    field: models.ManyToManyField[Any, Any], key: str, ids: list[Any]
) -> dict[str, dict[str, Any]]:
    listed = [serialization.to_json_safe(pk) for pk in ids]
    return {field.name: {"added": [], "removed": [], key: listed}}


def _plan(
    instance: models.Model,
    field: models.ManyToManyField[Any, Any],
    reverse: bool,
    key: str,
    ids: list[Any],
    using: str,
) -> Plan:
    plan: Plan = [] if reverse else [(instance, _change(field, key, ids))]
    if reverse or field.remote_field.symmetrical:
        others = field.model._base_manager.using(using).in_bulk(ids)
        back = _change(field, key, [instance.pk])
        plan += [(others[pk], back) for pk in ids if pk in others]
    return plan


def _prepare(
    sender: type[models.Model],
    instance: models.Model,
    action: str,
    reverse: bool,
    model: type[models.Model],
    pk_set: set[Any] | None,
    using: str,
) -> None:
    owner = model if reverse else type(instance)
    if not is_tracked(owner) or not is_heard(owner, ModelUpdating, ModelUpdated):
        return
    field = _field(owner, sender)
    ids = _changing_ids(instance, field, reverse, action, pk_set)
    if not ids:
        return
    plan = _plan(instance, field, reverse, _KEYS[action], ids, using)
    instance.__dict__.setdefault(_PENDING_ATTR, {})[sender] = plan
    _dispatch(ModelUpdating, plan, using)


def _announce(sender: type[models.Model], instance: models.Model, using: str) -> None:
    plan = instance.__dict__.get(_PENDING_ATTR, {}).pop(sender, None)
    if plan is not None:
        _dispatch(ModelUpdated, plan, using)


def _dispatch(
    event_class: type[ModelUpdating] | type[ModelUpdated], plan: Plan, using: str
) -> None:
    causer = get_causer()
    for target, change in plan:
        # A field with a hidden name (secret_contacts) is told as changed,
        # never which ids.
        hidden = tuple(name for name in change if serialization.is_hidden_field(name))
        emit(
            event_class,
            target,
            using=using,
            causer=causer,
            changes={name: ids for name, ids in change.items() if name not in hidden},
            hidden_changes=hidden,
        )


def _on_m2m_changed(
    sender: type[models.Model],
    instance: models.Model,
    action: str,
    reverse: bool,
    model: type[models.Model],
    pk_set: set[Any] | None,
    using: str,
    **kwargs: Any,
) -> None:
    if action in _KEYS:
        _prepare(sender, instance, action, reverse, model, pk_set, using)
    else:
        _announce(sender, instance, using)


def connect() -> None:
    """Connect the many-to-many receiver; connecting twice is harmless."""
    signals.m2m_changed.connect(_on_m2m_changed, dispatch_uid="dash.m2m_changed")
