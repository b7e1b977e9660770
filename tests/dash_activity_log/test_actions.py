"""An activity's action is read from the end of its event's name."""

from __future__ import annotations

import pytest

from dash_activity_log.actions import ACTIONS, action_of, matching
from dash_activity_log.models import Activity
from tests.dash_activity_log.factories import ActivityFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("event", "action"),
    [
        ("library.book.created", "created"),
        ("library.book.updated", "updated"),
        ("library.book.deleted", "deleted"),
        ("deploy.notice", "custom"),
        ("created", "custom"),
        ("library.book.recreated", "custom"),
    ],
)
def test_action_of_reads_the_suffix(event: str, action: str) -> None:
    assert action_of(event) == action


def test_matching_selects_the_same_events_as_action_of() -> None:
    events = [
        "library.book.created",
        "library.book.updated",
        "library.genre.deleted",
        "deploy.notice",
        "library.book.recreated",
    ]
    for event in events:
        ActivityFactory(event=event)

    found = {
        action: sorted(
            Activity.objects.filter(matching(action)).values_list("event", flat=True)
        )
        for action in ACTIONS
    }

    assert found == {
        "created": ["library.book.created"],
        "updated": ["library.book.updated"],
        "deleted": ["library.genre.deleted"],
        "custom": ["deploy.notice", "library.book.recreated"],
    }
