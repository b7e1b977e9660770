"""The activity log in a real admin: an edit shows on the History page and the list.

The example site runs under daphne (the ``live_site`` fixture) and the
browser signs in as ``admin``, with the fixtures of ``test_admin_live``.
"""

from __future__ import annotations

import re

import pytest

from tests.browser import test_admin_live as live

pytestmark = [pytest.mark.browser, pytest.mark.live]

from playwright.sync_api import Page, expect  # noqa: E402

# test_admin_live's browser fixtures, shared rather than copied.
playwright = live.playwright
browser = live.browser
context = live.context
page = live.page

GENRES = live.GENRES
ACTIVITIES = "/admin/dash_activity_log/activity/"


def _create_genre(page: Page, name: str, slug: str) -> str:
    page.goto(f"{GENRES}add/")
    page.fill("#id_name", name)
    page.fill("#id_slug", slug)
    page.click("input[name=_continue]")
    expect(page).to_have_url(re.compile(rf"{GENRES}\d+/change/"))
    match = re.search(rf"{GENRES}(\d+)/change/", page.url)
    assert match is not None
    return match.group(1)


def test_an_edit_shows_on_the_history_page_with_its_diff(page: Page) -> None:
    name, slug = live.unique("Before")
    new_name, _ = live.unique("After")
    pk = _create_genre(page, name, slug)

    page.fill("#id_name", new_name)
    page.click("input[name=_save]")
    expect(page).to_have_url(re.compile(rf"{GENRES}$"))
    page.goto(f"{GENRES}{pk}/history/")

    timeline = page.locator("#dash-activity-timeline")
    entries = timeline.locator(".dash-activity-entry")
    expect(entries).to_have_count(2)
    updated = entries.first
    expect(updated).to_have_class(re.compile(r"dash-activity-entry--updated"))
    expect(updated.get_by_role("link")).to_have_text(f"Genre “{new_name}” updated")
    expect(updated.locator(".dash-activity-causer")).to_have_text("admin")
    row = updated.locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row.locator("th")).to_have_text("Name")
    expect(row.locator(".dash-activity-old")).to_have_text(name)
    expect(row.locator(".dash-activity-new")).to_have_text(new_name)
    expect(entries.last.get_by_role("link")).to_have_text(f"Genre “{name}” created")


def test_the_activity_list_filters_by_action(page: Page) -> None:
    name, slug = live.unique("Filtered")
    pk = _create_genre(page, name, slug)
    page.goto(f"{GENRES}{pk}/history/")
    page.get_by_role("link", name="See all in the activity log").click()
    expect(page.locator("#result_list tbody tr")).to_have_count(1)

    page.goto(ACTIVITIES)
    page.locator("#changelist-filter").get_by_role("link", name="Created").click()

    expect(page).to_have_url(re.compile(r"[?&]action=created"))
    events = page.locator("#result_list td.field-event")
    expect(events.first).to_have_text(re.compile(r"\.created$"))
    assert all(text.endswith(".created") for text in events.all_text_contents())
    expect(page.locator("#result_list")).to_contain_text(name)
