"""System checks report malformed settings, unknown labels and missing wiring."""

from __future__ import annotations

from django.core import checks
from pytest_django.fixtures import Settings

from dash_activity_log.checks import MIDDLEWARE, _check_settings, _check_wiring


def _messages(found: list[checks.CheckMessage]) -> list[tuple[str | None, str]]:
    return [(message.id, message.msg) for message in found]


def test_a_sound_setting_passes(settings: Settings) -> None:
    settings.DASH_ACTIVITY_LOG = {
        "EXCLUDE_MODELS": ["sessions", "library.loan"],
        "EXCLUDE_FIELDS": {"library.book": ["cover_notes", "genres"]},
        "RETENTION_DAYS": 365,
    }

    assert _check_settings() == []
    assert _check_wiring() == []


def test_malformed_values_are_errors(settings: Settings) -> None:
    settings.DASH_ACTIVITY_LOG = {"LOG_UPDATES": "no", "RETENTION_DAYS": 0}

    found = _check_settings()

    assert all(isinstance(message, checks.Error) for message in found)
    assert _messages(found) == [
        (
            "dash_activity_log.E004",
            "DASH_ACTIVITY_LOG['LOG_UPDATES'] must be True or False.",
        ),
        (
            "dash_activity_log.E005",
            "DASH_ACTIVITY_LOG['RETENTION_DAYS'] must be a whole number of "
            "days, 1 or more, or None to keep everything.",
        ),
    ]


def test_a_setting_that_is_not_a_dict_is_an_error(settings: Settings) -> None:
    settings.DASH_ACTIVITY_LOG = ["sessions"]

    assert _messages(_check_settings()) == [
        ("dash_activity_log.E001", "settings.DASH_ACTIVITY_LOG must be a dict.")
    ]
    assert _check_wiring() == []


def test_an_unknown_key_is_a_warning(settings: Settings) -> None:
    settings.DASH_ACTIVITY_LOG = {"excludeTables": ["sessions"]}

    [warning] = _check_settings()

    assert isinstance(warning, checks.Warning)
    assert warning.id == "dash_activity_log.W001"
    assert warning.msg == (
        "settings.DASH_ACTIVITY_LOG has an unknown key 'excludeTables'."
    )
    assert warning.hint == (
        "Known keys: EXCLUDE_MODELS, EXCLUDE_FIELDS, LOG_CREATES, LOG_UPDATES, "
        "LOG_DELETES, KEEP_EMPTY_UPDATES, RETENTION_DAYS, REQUEST_METADATA, "
        "CLIENT_IP_HEADER, SERVER_COMMANDS."
    )


def test_labels_of_no_installed_app_or_model_are_warnings(settings: Settings) -> None:
    settings.DASH_ACTIVITY_LOG = {
        "EXCLUDE_MODELS": ["library", "libary.book", "library.bok", "nosuchapp"],
        "EXCLUDE_FIELDS": {"library": ["title"], "library.bok": ["title"]},
    }

    assert _messages(_check_settings()) == [
        (
            "dash_activity_log.W002",
            "DASH_ACTIVITY_LOG['EXCLUDE_MODELS'] names 'libary.book', which is "
            "no installed app or model.",
        ),
        (
            "dash_activity_log.W002",
            "DASH_ACTIVITY_LOG['EXCLUDE_MODELS'] names 'library.bok', which is "
            "no installed app or model.",
        ),
        (
            "dash_activity_log.W002",
            "DASH_ACTIVITY_LOG['EXCLUDE_MODELS'] names 'nosuchapp', which is "
            "no installed app or model.",
        ),
        (
            "dash_activity_log.W002",
            "DASH_ACTIVITY_LOG['EXCLUDE_FIELDS'] names 'library', which is no "
            "installed model.",
        ),
        (
            "dash_activity_log.W002",
            "DASH_ACTIVITY_LOG['EXCLUDE_FIELDS'] names 'library.bok', which is "
            "no installed model.",
        ),
    ]


def test_an_unknown_field_is_a_warning_listing_the_fields(settings: Settings) -> None:
    settings.DASH_ACTIVITY_LOG = {"EXCLUDE_FIELDS": {"library.author": ["nmae"]}}

    [warning] = _check_settings()

    assert warning.id == "dash_activity_log.W003"
    assert warning.msg == (
        "DASH_ACTIVITY_LOG['EXCLUDE_FIELDS'] names 'nmae', which is no field of "
        "'library.author'."
    )
    assert warning.hint == "Its fields are: bio, born_on, id, name."


def test_request_metadata_without_the_middleware_is_a_warning(
    settings: Settings,
) -> None:
    settings.DASH_ACTIVITY_LOG = {"REQUEST_METADATA": True}
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != MIDDLEWARE]

    [warning] = _check_wiring()

    assert warning.id == "dash_activity_log.W004"
    assert warning.msg == (
        "DASH_ACTIVITY_LOG['REQUEST_METADATA'] is on but "
        "dash_activity_log.middleware.ActivityLogMiddleware is not in "
        "MIDDLEWARE, so no request metadata is stored."
    )


def test_request_metadata_with_the_middleware_passes(settings: Settings) -> None:
    settings.DASH_ACTIVITY_LOG = {"REQUEST_METADATA": True}
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, MIDDLEWARE]

    assert _check_wiring() == []


def test_the_checks_are_registered() -> None:
    registered = checks.registry.registry.get_checks()

    assert _check_settings in registered
    assert _check_wiring in registered
