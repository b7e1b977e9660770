"""The timeline tag needs a request and a known admin site; else it gives nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from dash_activity_log.diffs import Text
from tests.dash_activity_log.factories import AuthorFactory

pytestmark = pytest.mark.django_db

TIMELINE = Template(
    "{% load activity_log_admin %}{% activity_timeline object as timeline %}"
    "{% if timeline is None %}none{% else %}{{ timeline.entries|length }}{% endif %}"
)


def _request(user: Any, current_app: str | None) -> Any:
    request = RequestFactory().get("/")
    request.user = user
    if current_app is not None:
        request.current_app = current_app
    return request


def test_the_timeline_of_the_current_admin_site(admin_user: Any) -> None:
    context = Context(
        {"object": AuthorFactory(), "request": _request(admin_user, "admin")}
    )

    assert TIMELINE.render(context) == "1"


def test_the_default_admin_site_without_a_current_app(admin_user: Any) -> None:
    context = Context(
        {"object": AuthorFactory(), "request": _request(admin_user, None)}
    )

    assert TIMELINE.render(context) == "1"


def test_no_timeline_without_a_request() -> None:
    assert TIMELINE.render(Context({"object": AuthorFactory()})) == "none"


def test_no_timeline_for_an_unknown_admin_site(admin_user: Any) -> None:
    context = Context(
        {"object": AuthorFactory(), "request": _request(admin_user, "elsewhere")}
    )

    assert TIMELINE.render(context) == "none"


VALUE = Template("{% load activity_log_admin %}{% activity_value value %}")


@pytest.mark.parametrize(
    ("value", "html"),
    [
        (None, '<span class="dash-activity-empty">empty</span>'),
        (Text("<b>", 3), "&lt;b&gt;"),
        (Text("", 0), ""),
        (
            Text("<b>", 1234567),
            '&lt;b&gt;…<span class="dash-activity-cut">(the first 3 of 1,234,567 '
            "characters)</span>",
        ),
    ],
)
def test_a_value_shows_escaped_and_says_how_long_it_was_when_cut(
    value: Text | None, html: str
) -> None:
    assert VALUE.render(Context({"value": value})) == html


BRIEF = Template("{% load activity_log_admin %}{{ text|activity_brief }}")


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("", ""),
        ("é" * 200, "é" * 200),
        ("é" * 201, f"{'é' * 200}…"),
        ("<" * 2_000_000, f"{'&lt;' * 200}…"),
    ],
)
def test_a_brief_keeps_the_first_200_characters_escaped(text: str, html: str) -> None:
    assert BRIEF.render(Context({"text": text})) == html
