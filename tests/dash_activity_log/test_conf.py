"""The settings accessor: documented defaults, normalised values, clear refusals."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from pytest_django.fixtures import Settings

from dash_activity_log.conf import (
    DEFAULT_SERVER_COMMANDS,
    ActivityLogSettings,
    Problem,
    activity_log_settings,
    problems,
)


def test_defaults_apply_without_the_setting(settings: Settings) -> None:
    del settings.DASH_ACTIVITY_LOG

    assert activity_log_settings() == ActivityLogSettings(
        exclude_models=frozenset(),
        exclude_fields={},
        log_creates=True,
        log_updates=True,
        log_deletes=True,
        keep_empty_updates=False,
        retention_days=None,
        request_metadata=False,
        client_ip_header=None,
        server_commands=frozenset(DEFAULT_SERVER_COMMANDS),
    )


def test_default_server_commands_are_the_servers_and_test_runner() -> None:
    assert DEFAULT_SERVER_COMMANDS == ("runserver", "testserver", "test")


def test_values_are_read_and_labels_lowercased(settings: Settings) -> None:
    settings.DASH_ACTIVITY_LOG = {
        "EXCLUDE_MODELS": ["Sessions", "library.Loan"],
        "EXCLUDE_FIELDS": {"Library.Book": ["cover_notes", "price"]},
        "LOG_CREATES": False,
        "LOG_UPDATES": False,
        "LOG_DELETES": False,
        "KEEP_EMPTY_UPDATES": True,
        "RETENTION_DAYS": 90,
        "REQUEST_METADATA": True,
        "CLIENT_IP_HEADER": "HTTP_X_FORWARDED_FOR",
        "SERVER_COMMANDS": ["rqworker"],
    }

    assert activity_log_settings() == ActivityLogSettings(
        exclude_models=frozenset({"sessions", "library.loan"}),
        exclude_fields={"library.book": frozenset({"cover_notes", "price"})},
        log_creates=False,
        log_updates=False,
        log_deletes=False,
        keep_empty_updates=True,
        retention_days=90,
        request_metadata=True,
        client_ip_header="HTTP_X_FORWARDED_FOR",
        server_commands=frozenset({"rqworker"}),
    )


def test_excludes_model_by_app_or_model_label(settings: Settings) -> None:
    settings.DASH_ACTIVITY_LOG = {"EXCLUDE_MODELS": ["sessions", "library.loan"]}
    conf = activity_log_settings()

    assert conf.excludes_model("sessions", "sessions.session")
    assert conf.excludes_model("library", "library.loan")
    assert not conf.excludes_model("library", "library.book")


def test_overriding_the_setting_resets_the_cache(settings: Settings) -> None:
    settings.DASH_ACTIVITY_LOG = {"RETENTION_DAYS": 30}
    assert activity_log_settings().retention_days == 30

    settings.DASH_ACTIVITY_LOG = {"RETENTION_DAYS": 7}

    assert activity_log_settings().retention_days == 7


def test_a_malformed_value_is_refused_by_the_accessor(
    settings: Settings,
) -> None:
    settings.DASH_ACTIVITY_LOG = {"RETENTION_DAYS": "90"}

    with pytest.raises(ImproperlyConfigured) as raised:
        activity_log_settings()

    assert str(raised.value) == (
        "DASH_ACTIVITY_LOG['RETENTION_DAYS'] must be a whole number of days, "
        "1 or more, or None to keep everything."
    )


def test_a_well_formed_setting_has_no_problems() -> None:
    assert problems({"EXCLUDE_MODELS": ("sessions",), "RETENTION_DAYS": None}) == []


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            ["EXCLUDE_MODELS"],
            Problem(
                "dash_activity_log.E001", "settings.DASH_ACTIVITY_LOG must be a dict."
            ),
        ),
        (
            {"EXCLUDE_MODELS": "sessions"},
            Problem(
                "dash_activity_log.E002",
                "DASH_ACTIVITY_LOG['EXCLUDE_MODELS'] must be a list of strings.",
            ),
        ),
        (
            {"SERVER_COMMANDS": ["runserver", 3]},
            Problem(
                "dash_activity_log.E002",
                "DASH_ACTIVITY_LOG['SERVER_COMMANDS'] must be a list of strings.",
            ),
        ),
        (
            {"EXCLUDE_FIELDS": {"library.book": "cover_notes"}},
            Problem(
                "dash_activity_log.E003",
                "DASH_ACTIVITY_LOG['EXCLUDE_FIELDS'] must map model labels to lists "
                "of field names, such as {'library.book': ['cover_notes']}.",
            ),
        ),
        (
            {"EXCLUDE_FIELDS": ["library.book"]},
            Problem(
                "dash_activity_log.E003",
                "DASH_ACTIVITY_LOG['EXCLUDE_FIELDS'] must map model labels to lists "
                "of field names, such as {'library.book': ['cover_notes']}.",
            ),
        ),
        (
            {"KEEP_EMPTY_UPDATES": 1},
            Problem(
                "dash_activity_log.E004",
                "DASH_ACTIVITY_LOG['KEEP_EMPTY_UPDATES'] must be True or False.",
            ),
        ),
        (
            {"RETENTION_DAYS": 0},
            Problem(
                "dash_activity_log.E005",
                "DASH_ACTIVITY_LOG['RETENTION_DAYS'] must be a whole number of "
                "days, 1 or more, or None to keep everything.",
            ),
        ),
        (
            {"RETENTION_DAYS": True},
            Problem(
                "dash_activity_log.E005",
                "DASH_ACTIVITY_LOG['RETENTION_DAYS'] must be a whole number of "
                "days, 1 or more, or None to keep everything.",
            ),
        ),
        (
            {"CLIENT_IP_HEADER": "X-Forwarded-For"},
            Problem(
                "dash_activity_log.E006",
                "DASH_ACTIVITY_LOG['CLIENT_IP_HEADER'] must be a request.META "
                "key such as 'HTTP_X_FORWARDED_FOR', not 'X-Forwarded-For'.",
            ),
        ),
    ],
)
def test_each_malformed_value_is_one_problem(raw: object, expected: Problem) -> None:
    assert problems(raw) == [expected]


def test_every_malformed_value_is_reported() -> None:
    found = problems({"LOG_CREATES": "yes", "LOG_DELETES": None, "RETENTION_DAYS": -1})

    assert [(problem.id, problem.message) for problem in found] == [
        (
            "dash_activity_log.E004",
            "DASH_ACTIVITY_LOG['LOG_CREATES'] must be True or False.",
        ),
        (
            "dash_activity_log.E004",
            "DASH_ACTIVITY_LOG['LOG_DELETES'] must be True or False.",
        ),
        (
            "dash_activity_log.E005",
            "DASH_ACTIVITY_LOG['RETENTION_DAYS'] must be a whole number of "
            "days, 1 or more, or None to keep everything.",
        ),
    ]
