"""Tell what kind of thing an activity records from the end of its event's name.

Model events are named ``<app>.<model>.<action>``, so an activity whose
event ends in ``.created``, ``.updated`` or ``.deleted`` records that
action; everything else (``log_activity`` calls, custom events) is
``custom``. The test is a suffix match, which no index serves: a filter on
an action reads rows newest first until it has a page of them, fast while
that action is common and slow for a rare one on a large table.
"""

from __future__ import annotations

import functools
import operator
from typing import Literal

from django.db.models import Q

__all__ = ["ACTIONS", "MODEL_ACTIONS", "Action", "action_of", "matching"]

Action = Literal["created", "updated", "deleted", "custom"]

MODEL_ACTIONS: tuple[Action, ...] = ("created", "updated", "deleted")
ACTIONS: tuple[Action, ...] = (*MODEL_ACTIONS, "custom")


def action_of(event: str) -> Action:
    """Return the action an event of this name records."""
    for action in MODEL_ACTIONS:
        if event.endswith(f".{action}"):
            return action
    return "custom"


def matching(action: Action) -> Q:
    """Return the condition on ``Activity.event`` that selects ``action``."""
    if action != "custom":
        return Q(event__endswith=f".{action}")
    return ~functools.reduce(
        operator.or_, (Q(event__endswith=f".{model}") for model in MODEL_ACTIONS)
    )
