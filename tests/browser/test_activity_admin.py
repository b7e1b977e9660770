"""The activity log in a real admin: what an admin sees on its pages and relies on.

The example site runs under daphne (the ``live_site`` fixture) and the
browser signs in as ``admin``, with the fixtures of ``test_admin_live``.
"""

from __future__ import annotations

import datetime
import re
import textwrap

import pytest

from tests.browser import test_admin_live as live
from tests.support.live_site import LiveSite, manage

pytestmark = [pytest.mark.browser, pytest.mark.live]

from playwright.sync_api import Browser, Locator, Page, expect  # noqa: E402

# test_admin_live's browser fixtures, shared rather than copied.
playwright = live.playwright
browser = live.browser
context = live.context
page = live.page

GENRES = live.GENRES
ACTIVITIES = "/admin/dash_activity_log/activity/"
#: What the date hierarchy puts before its way back.
BACK = "\N{SINGLE LEFT-POINTING ANGLE QUOTATION MARK} "


def _create_genre(page: Page, name: str, slug: str) -> str:
    page.goto(f"{GENRES}add/")
    page.fill("#id_name", name)
    # The admin fills the slug from the name when the name loses focus; let
    # it do so first, or it writes into the slug while fill() types.
    page.locator("#id_name").blur()
    page.fill("#id_slug", slug)
    expect(page.locator("#id_slug")).to_have_value(slug)
    page.click("input[name=_continue]")
    expect(page).to_have_url(re.compile(rf"{GENRES}\d+/change/"))
    match = re.search(rf"{GENRES}(\d+)/change/", page.url)
    assert match is not None
    return match.group(1)


def _rename_genre(page: Page, pk: str, name: str, slug: str) -> None:
    page.goto(f"{GENRES}{pk}/change/")
    page.fill("#id_name", name)
    page.fill("#id_slug", slug)
    page.click("input[name=_save]")
    expect(page).to_have_url(re.compile(rf"{GENRES}$"))


def _delete_genre(page: Page, pk: str) -> None:
    page.goto(f"{GENRES}{pk}/delete/")
    page.click("#content form input[type=submit]")
    expect(page).to_have_url(re.compile(rf"{GENRES}$"))


def _row(page: Page, description: str) -> Locator:
    """Return the activity list's row whose description is ``description``."""
    return page.locator("#result_list tbody tr").filter(
        has=page.locator(
            "td.field-description", has_text=re.compile(rf"^{re.escape(description)}$")
        )
    )


def _create_staff(site: LiveSite, username: str, *codenames: str) -> None:
    """Create a staff user with only ``codenames``; the password is the username."""
    manage(
        site,
        "shell",
        "-c",
        textwrap.dedent(f"""
            from django.contrib.auth import get_user_model
            from django.contrib.auth.models import Permission

            user = get_user_model().objects.create_user(
                {username!r}, password={username!r}, is_staff=True
            )
            permissions = Permission.objects.filter(codename__in={codenames!r})
            assert permissions.count() == {len(codenames)}
            user.user_permissions.set(permissions)
        """),
    )


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


def test_an_activity_opened_from_the_list_shows_its_changes_read_only(
    page: Page,
) -> None:
    name, slug = live.unique("Old")
    new_name, new_slug = live.unique("New")
    pk = _create_genre(page, name, slug)
    _rename_genre(page, pk, new_name, new_slug)
    page.goto(f"{ACTIVITIES}?q={pk}")

    _row(page, f"Genre “{new_name}” updated").locator("th a").click()

    expect(page).to_have_url(re.compile(rf"{ACTIVITIES}\d+/change/"))
    expect(page.locator("#content h1")).to_have_text("View activity")
    expect(page.locator(".field-event .readonly")).to_have_text("library.genre.updated")
    expect(page.locator(".field-causer_name .readonly")).to_have_text("admin")
    changes = page.locator("table.dash-activity-changes tbody tr")
    expect(changes.locator("th")).to_have_text(["Name", "Slug"])
    expect(changes.locator(".dash-activity-old")).to_have_text([name, slug])
    expect(changes.locator(".dash-activity-new")).to_have_text([new_name, new_slug])
    form = page.locator("#activity_form")
    expect(form.locator("input:not([type=hidden]), textarea, select")).to_have_count(0)
    expect(form.locator("[contenteditable]")).to_have_count(0)
    expect(page.get_by_role("button", name="Save")).to_have_count(0)
    expect(page.get_by_role("link", name="Delete")).to_have_count(0)
    expect(page.get_by_role("link", name="Close")).to_be_visible()


def test_the_subject_links_to_its_change_page_until_it_is_deleted(
    page: Page,
) -> None:
    name, slug = live.unique("Linked")
    pk = _create_genre(page, name, slug)
    page.goto(f"{ACTIVITIES}?q={pk}")

    _row(page, f"Genre “{name}” created").get_by_role(
        "link", name=f"Genre {pk}"
    ).click()

    expect(page).to_have_url(re.compile(rf"{GENRES}{pk}/change/$"))
    expect(page.locator("#id_name")).to_have_value(name)

    _delete_genre(page, pk)
    page.goto(f"{ACTIVITIES}?q={pk}")

    subjects = page.locator(
        "#result_list td.field-subject_link", has_text=re.compile(rf"^Genre {pk}$")
    )
    expect(subjects).to_have_count(2)
    expect(subjects.locator("a")).to_have_count(0)
    _row(page, f"Genre “{name}” deleted").locator("th a").click()
    subject = page.locator(".field-subject_link .readonly")
    expect(subject).to_have_text(f"Genre {pk}")
    expect(subject.locator("a")).to_have_count(0)


def test_the_search_finds_names_by_their_start_and_subjects_by_id(
    page: Page,
) -> None:
    name, slug = live.unique("Searched")
    pk = _create_genre(page, name, slug)
    page.goto(ACTIVITIES)
    search = page.locator("#searchbar")

    help_text = page.locator("#searchbar_helptext")
    expect(help_text).to_be_visible()
    expect(help_text).to_have_text(
        "Finds activities whose event or causer name starts with the text, in any "
        "case, or whose subject id is exactly the text. Each word must match; put "
        "a name with spaces in quotes."
    )
    expect(search).to_have_attribute("aria-describedby", "searchbar_helptext")

    search.fill("LIBRARY.GENRE.CR")
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]q=LIBRARY\.GENRE\.CR(&|$)"))
    expect(_row(page, f"Genre “{name}” created")).to_have_count(1)
    events = page.locator("#result_list td.field-event").all_text_contents()
    assert set(events) == {"library.genre.created"}

    search.fill("Admi")
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]q=Admi(&|$)"))
    expect(_row(page, f"Genre “{name}” created")).to_have_count(1)
    causers = page.locator("#result_list td.field-causer_name").all_text_contents()
    assert set(causers) == {"admin"}

    search.fill(pk)
    search.press("Enter")
    expect(page).to_have_url(re.compile(rf"[?&]q={pk}(&|$)"))
    expect(_row(page, f"Genre “{name}” created")).to_have_count(1)
    subjects = page.locator("#result_list td.field-subject_link").all_text_contents()
    assert subjects.count(f"Genre {pk}") == 1
    assert all(subject.endswith(f" {pk}") for subject in subjects), subjects

    search.fill("genre.created")
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]q=genre\.created(&|$)"))
    expect(page.locator("p.paginator")).to_have_text("0 activities")
    expect(page.locator("#result_list")).to_have_count(0)


def test_the_date_hierarchy_narrows_the_list_to_a_year_then_a_month(
    page: Page,
) -> None:
    name, slug = live.unique("Dated")
    _create_genre(page, name, slug)
    # The example site's TIME_ZONE is UTC.
    today = datetime.datetime.now(datetime.UTC).date()
    page.goto(ACTIVITIES)
    hierarchy = page.locator("#changelist nav.toplinks")

    # With every activity in one month the list opens at its days, the
    # year as the way back; otherwise the year is one of the choices.
    hierarchy.get_by_role("link", name=re.compile(rf"^({BACK})?{today.year}$")).click()
    expect(page).to_have_url(re.compile(rf"\?created_at__year={today.year}$"))
    expect(hierarchy.locator("a.date-back")).to_have_text(f"{BACK}All dates")

    hierarchy.get_by_role("link", name=f"{today:%B} {today.year}").click()

    expect(page).to_have_url(
        re.compile(
            rf"\?created_at__month={today.month}&created_at__year={today.year}$"
            rf"|\?created_at__year={today.year}&created_at__month={today.month}$"
        )
    )
    expect(hierarchy.locator("a.date-back")).to_have_text(f"{BACK}{today.year}")
    expect(
        hierarchy.get_by_role("link", name=f"{today:%B} {today.day}")
    ).to_be_visible()
    expect(_row(page, f"Genre “{name}” created")).to_have_count(1)


def test_a_user_sees_no_activities_about_models_they_may_not_view(
    page: Page, browser: Browser, live_site: LiveSite
) -> None:
    name, slug = live.unique("Hidden")
    pk = _create_genre(page, name, slug)
    page.goto(f"{ACTIVITIES}?q=library.genre")
    hidden = _row(page, f"Genre “{name}” created")
    hidden.locator("th a").click()
    expect(page).to_have_url(re.compile(rf"{ACTIVITIES}\d+/change/"))
    detail = page.url
    _, username = live.unique("Reader")
    _create_staff(live_site, username, "view_activity", "view_book")
    context = browser.new_context(base_url=live_site.url)
    try:
        reader = context.new_page()
        live.sign_in(reader, username, username)

        reader.goto(f"{ACTIVITIES}?q=library.genre")
        expect(reader.locator("p.paginator")).to_have_text("0 activities")
        reader.goto(f"{ACTIVITIES}?q={pk}")
        expect(
            reader.locator("#result_list td.field-subject_link", has_text="Genre")
        ).to_have_count(0)
        reader.goto(detail)
        expect(reader).to_have_url(re.compile(r"/admin/$"))
        expect(reader.locator(".messagelist")).to_contain_text(
            "doesn\N{RIGHT SINGLE QUOTATION MARK}t exist"
        )

        reader.goto(f"{ACTIVITIES}?q=library.book.created")
        books = reader.locator("#result_list td.field-subject_link a")
        expect(books.first).to_have_attribute(
            "href", re.compile(r"^/admin/library/book/\d+/change/$")
        )
        events = reader.locator("#result_list td.field-event").all_text_contents()
        assert set(events) == {"library.book.created"}
        books.first.click()
        expect(reader.locator("#content h1")).to_have_text("View book")
    finally:
        context.close()
