"""dash-wire.js in a real admin: toasts, banners and refusals, seen in chromium.

The example site runs under daphne (the ``live_site`` fixture); the browser
signs in as ``admin`` while an HTTP client signed in as ``editor`` makes the
changes, as a colleague in another window would.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.live_site import LiveSite, admin_client, admin_post, manage

pytestmark = [pytest.mark.browser, pytest.mark.live]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
#: Milliseconds to wait for an event to travel from a save to the page.
TIMEOUT = 10_000
GENRES = "/admin/library/genre/"
STREAM = "/admin/events/stream"

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is not installed", allow_module_level=True)

from playwright.sync_api import (  # noqa: E402
    Browser,
    BrowserContext,
    Page,
    Playwright,
    Route,
    expect,
    sync_playwright,
)

expect.set_options(timeout=TIMEOUT)


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture
def context(browser: Browser, live_site: LiveSite) -> Iterator[BrowserContext]:
    context = browser.new_context(base_url=live_site.url)
    context.set_default_timeout(TIMEOUT)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    """A page signed in to the admin as ``admin``."""
    page = context.new_page()
    sign_in(page, "admin", "admin")
    return page


@pytest.fixture
def editor(live_site: LiveSite) -> Iterator[httpx.Client]:
    """An HTTP client signed in to the admin as the staff user ``editor``."""
    client = admin_client(live_site, "editor", "editor")
    yield client
    client.close()


@pytest.fixture
def admin_elsewhere(live_site: LiveSite) -> Iterator[httpx.Client]:
    """An HTTP client signed in as ``admin``, the browser's own user."""
    client = admin_client(live_site, "admin", "admin")
    yield client
    client.close()


def sign_in(page: Page, username: str, password: str) -> None:
    page.goto("/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    expect(page).to_have_url(re.compile(r"/admin/$"))


def open_live(page: Page, path: str) -> None:
    """Go to ``path`` and wait until its event stream is subscribed."""
    page.goto(path)
    expect(page.locator("html")).to_have_attribute("data-dash-wire", "open")


def unique(prefix: str) -> tuple[str, str]:
    """Return a name and slug no other test uses."""
    tag = uuid.uuid4().hex[:8]
    return f"{prefix} {tag}", f"{prefix.lower()}-{tag}"


def create_genre(client: httpx.Client, name: str, slug: str) -> str:
    response = admin_post(
        client, f"{GENRES}add/", {"name": name, "slug": slug, "_continue": "1"}
    )
    assert response.status_code == 302, response.text
    match = re.fullmatch(rf"{GENRES}(\d+)/change/", response.headers["Location"])
    assert match is not None, response.headers["Location"]
    return match.group(1)


def update_genre(client: httpx.Client, pk: str, name: str, slug: str) -> None:
    response = admin_post(
        client, f"{GENRES}{pk}/change/", {"name": name, "slug": slug, "_save": "1"}
    )
    assert response.status_code == 302, response.text


def delete_genre(client: httpx.Client, pk: str) -> None:
    response = admin_post(client, f"{GENRES}{pk}/delete/", {"post": "yes"})
    assert response.status_code == 302, response.text


def test_toast_says_who_created_which_genre(page: Page, editor: httpx.Client) -> None:
    open_live(page, GENRES)
    name, slug = unique("Created")

    create_genre(editor, name, slug)

    toast = page.locator(".dash-wire-toast-text", has_text=name)
    expect(toast).to_have_text(f"editor created genre “{name}”")
    toasts = page.locator(".dash-wire-toasts")
    expect(toasts).to_have_attribute("role", "status")
    expect(toasts).to_have_attribute("aria-live", "polite")


def test_toast_lists_the_changed_fields_of_an_update(
    page: Page, editor: httpx.Client
) -> None:
    name, slug = unique("Before")
    pk = create_genre(editor, name, slug)
    open_live(page, GENRES)
    new_name, _ = unique("After")

    update_genre(editor, pk, new_name, slug)

    toast = page.locator(".dash-wire-toast-text", has_text=new_name)
    expect(toast).to_have_text(f"editor updated genre “{new_name}”: name")


def test_toast_dismisses_itself_and_on_request(
    page: Page, editor: httpx.Client
) -> None:
    open_live(page, GENRES)
    first, first_slug = unique("First")
    second, second_slug = unique("Second")

    create_genre(editor, first, first_slug)
    create_genre(editor, second, second_slug)
    page.locator(".dash-wire-toast", has_text=second).get_by_role(
        "button", name="Dismiss"
    ).click()

    expect(page.locator(".dash-wire-toast", has_text=second)).to_have_count(0)
    # The other one goes by itself after about six seconds.
    page.mouse.move(0, 0)
    expect(page.locator(".dash-wire-toast", has_text=first)).to_have_count(0)


def test_change_form_warns_when_someone_else_updates_the_record(
    page: Page, editor: httpx.Client
) -> None:
    name, slug = unique("Edited")
    pk = create_genre(editor, name, slug)
    open_live(page, f"{GENRES}{pk}/change/")

    update_genre(editor, pk, f"{name} again", slug)

    banner = page.locator(".dash-wire-banner--warning")
    expect(banner).to_have_text(
        "editor changed this genre while you were editing: name. "
        "Reload to see the changes. Reload"
    )
    expect(banner).to_have_attribute("role", "alert")
    expect(banner.get_by_role("link", name="Reload")).to_have_attribute(
        "href", f"{GENRES}{pk}/change/"
    )


def test_change_form_says_when_someone_else_deletes_the_record(
    page: Page, editor: httpx.Client
) -> None:
    name, slug = unique("Doomed")
    pk = create_genre(editor, name, slug)
    open_live(page, f"{GENRES}{pk}/change/")

    update_genre(editor, pk, name, f"{slug}-moved")
    expect(page.locator(".dash-wire-banner--warning")).to_contain_text("slug")
    delete_genre(editor, pk)

    banner = page.locator(".dash-wire-banner")
    expect(banner).to_have_text("editor deleted this genre.")
    expect(banner).to_have_class(re.compile(r"dash-wire-banner--error"))


def test_change_form_does_not_warn_about_the_users_own_change(
    page: Page, admin_elsewhere: httpx.Client
) -> None:
    name, slug = unique("Mine")
    pk = create_genre(admin_elsewhere, name, slug)
    open_live(page, f"{GENRES}{pk}/change/")
    new_name, _ = unique("Still mine")

    update_genre(admin_elsewhere, pk, new_name, slug)

    expect(page.locator(".dash-wire-toast-text", has_text=new_name)).to_have_text(
        f"admin updated genre “{new_name}”: name"
    )
    expect(page.locator(".dash-wire-banner")).to_have_count(0)


def test_change_form_ignores_other_records_of_the_model(
    page: Page, editor: httpx.Client
) -> None:
    watched, watched_slug = unique("Watched")
    other, other_slug = unique("Other")
    pk = create_genre(editor, watched, watched_slug)
    other_pk = create_genre(editor, other, other_slug)
    open_live(page, f"{GENRES}{pk}/change/")

    update_genre(editor, other_pk, f"{other} renamed", other_slug)

    expect(page.locator(".dash-wire-toast", has_text=other)).to_have_count(1)
    expect(page.locator(".dash-wire-banner")).to_have_count(0)


def test_change_list_offers_a_reload_when_its_rows_change(
    page: Page, editor: httpx.Client
) -> None:
    open_live(page, GENRES)
    name, slug = unique("Listed")

    create_genre(editor, name, slug)

    banner = page.locator(".dash-wire-banner")
    expect(banner).to_have_text("Rows changed — reload")
    expect(banner).to_have_attribute("role", "status")
    banner.get_by_role("link", name="reload").click()
    expect(page.locator("#result_list")).to_contain_text(name)
    expect(page.locator(".dash-wire-banner")).to_have_count(0)


def test_change_list_ignores_other_models(page: Page, editor: httpx.Client) -> None:
    open_live(page, GENRES)
    name, _ = unique("Author")

    response = admin_post(
        editor, "/admin/library/author/add/", {"name": name, "_save": "1"}
    )
    assert response.status_code == 302, response.text

    expect(page.locator(".dash-wire-toast-text", has_text=name)).to_have_text(
        f"editor created author “{name}”"
    )
    expect(page.locator(".dash-wire-banner")).to_have_count(0)


def test_project_scripts_hear_events_through_dash_wire_on(
    page: Page, editor: httpx.Client
) -> None:
    open_live(page, GENRES)
    page.evaluate(
        """() => {
            window.heard = [];
            DashWire.on('library.genre.*', (m) => window.heard.push(m.name));
            const off = DashWire.on('*.created', () => window.heard.push('removed'));
            off();
        }"""
    )
    name, slug = unique("Heard")

    create_genre(editor, name, slug)

    page.wait_for_function("window.heard.length > 0")
    assert page.evaluate("window.heard") == ["library.genre.created"]
    assert page.evaluate("DashWire.connection.state") == "open"


def test_pages_without_a_staff_user_load_no_client(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(page.locator("h1")).to_have_text("Logged out")
    assert page.locator("#dash-wire-config").count() == 0

    page.goto("/admin/login/")

    assert page.locator("#dash-wire-config").count() == 0
    assert page.locator("script[src*='dash-wire']").count() == 0
    assert page.locator("link[href*='dash-wire']").count() == 0
    assert page.evaluate("typeof window.DashWire") == "undefined"


def test_admin_pages_carry_the_client_configuration(page: Page) -> None:
    page.goto(GENRES)

    config = page.evaluate(
        "JSON.parse(document.getElementById('dash-wire-config').textContent)"
    )
    assert config["streamUrl"] == STREAM
    assert config["user"]["name"] == "admin"
    assert config["page"] == {
        "model": "library.genre",
        "view": "changelist",
        "pk": None,
    }


def test_signing_out_elsewhere_turns_live_updates_off_with_the_reason(
    context: BrowserContext, page: Page
) -> None:
    open_live(page, GENRES)

    # The server closes the user's open streams at sign-out; the page asks
    # again and learns why it may no longer stream.
    elsewhere = context.new_page()
    elsewhere.goto("/admin/")
    elsewhere.get_by_role("button", name="Log out").click()
    expect(elsewhere.locator("h1")).to_have_text("Logged out")

    expect(page.locator("html")).to_have_attribute("data-dash-wire", "off")
    expect(page.locator(".dash-wire-banner")).to_have_text(
        "Live updates are off: The event stream needs a signed-in staff user."
    )
    assert page.evaluate("DashWire.connection.reason") == (
        "The event stream needs a signed-in staff user."
    )


def test_stream_error_from_the_server_turns_live_updates_off(page: Page) -> None:
    # django-eventstream ends a stream with stream-error on a request it
    # cannot serve; a canned stream stands in for that moment. (A
    # "forbidden" one makes the page ask again; see the sign-out test.)
    error = '{"condition": "bad-request", "text": "Invalid request: no channels."}'
    page.route(
        f"**{STREAM}*",
        lambda route: route.fulfill(
            status=200,
            content_type="text/event-stream",
            body=f"event: stream-open\ndata:\n\nevent: stream-error\nid: error\n"
            f"data: {error}\n\n",
        ),
    )

    page.goto(GENRES)

    expect(page.locator("html")).to_have_attribute("data-dash-wire", "off")
    expect(page.locator(".dash-wire-banner")).to_have_text(
        "Live updates are off: Invalid request: no channels."
    )


def test_server_errors_are_retried_until_the_stream_opens(page: Page) -> None:
    failures = ["stream", "probe"]

    # The stream fails, and so does the status probe that follows; the
    # client backs off and tries again rather than giving up.
    def stream(route: Route) -> None:
        if failures:
            failures.pop()
            route.fulfill(status=503, content_type="text/plain", body="Busy\n")
        else:
            route.fallback()

    page.route(f"**{STREAM}*", stream)

    open_live(page, GENRES)

    assert failures == []
    assert page.evaluate("DashWire.connection.attempts") == 0
    expect(page.locator(".dash-wire-banner")).to_have_count(0)


def test_answer_that_is_not_an_event_stream_turns_live_updates_off(
    page: Page,
) -> None:
    page.route(
        f"**{STREAM}*",
        lambda route: route.fulfill(
            status=200, content_type="text/html", body="<p>Sign in</p>"
        ),
    )

    page.goto(GENRES)

    expect(page.locator("html")).to_have_attribute("data-dash-wire", "off")
    expect(page.locator(".dash-wire-banner")).to_have_text(
        "Live updates are off: the server did not answer with an event stream."
    )


def test_custom_events_show_their_message_once_and_nothing_else(page: Page) -> None:
    sale = {"id": "1", "name": "shop.sale", "payload": {"message": "Sale <b>on</b>"}}
    messages = [
        sale,
        {"id": "2", "name": "shop.tick", "payload": {"count": 3}},
        sale,
        {"id": "3", "name": "library.genre.updated", "payload": {"model": "x"}},
    ]
    opening = "event: stream-open\ndata:\n\n"
    pending: list[str] = []

    # Until the test's handler is in place, each canned stream is empty and
    # the browser reconnects at once; then one stream carries the messages.
    def fulfill(route: Route) -> None:
        body = pending.pop() if pending else f"retry: 100\n\n{opening}"
        route.fulfill(status=200, content_type="text/event-stream", body=body)

    page.route(f"**{STREAM}*", fulfill)
    page.goto(GENRES)
    page.evaluate(
        "() => { window.heard = []; DashWire.on('*', (m) => heard.push(m.name)); }"
    )
    pending.append(
        f"retry: 60000\n\n{opening}"
        + "".join(f"data: {json.dumps(message)}\n\n" for message in messages)
    )

    page.wait_for_function("window.heard.length === 3")
    assert page.evaluate("window.heard") == [
        "shop.sale",
        "shop.tick",
        "library.genre.updated",
    ]
    expect(page.locator(".dash-wire-toast-text")).to_have_text(["Sale <b>on</b>"])
    expect(page.locator(".dash-wire-banner")).to_have_count(0)


def test_notice_sent_by_dash_emit_shows_as_a_toast(
    page: Page, live_site: LiveSite
) -> None:
    open_live(page, "/admin/")
    text = f"Deploying {uuid.uuid4().hex[:8]}"

    manage(
        live_site,
        "dash_emit",
        "deploy.notice",
        "--payload",
        json.dumps({"message": text}),
        "--broadcast",
    )

    expect(page.locator(".dash-wire-toast-text", has_text=text)).to_have_text(text)
