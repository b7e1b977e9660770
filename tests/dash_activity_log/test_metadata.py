"""The client's address is trusted from a header only when configured."""

from __future__ import annotations

import logging

import pytest
from django.test import RequestFactory
from pytest_django.fixtures import Settings

from dash_activity_log.metadata import client_ip, user_agent

FORWARDED = "HTTP_X_FORWARDED_FOR"


@pytest.fixture
def behind_proxy(settings: Settings) -> None:
    settings.DASH_ACTIVITY_LOG = {"CLIENT_IP_HEADER": FORWARDED}


def test_remote_addr_is_the_client_by_default() -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.7")

    assert client_ip(request) == "192.0.2.7"


def test_a_forwarding_header_is_ignored_unless_configured() -> None:
    request = RequestFactory().get(
        "/", REMOTE_ADDR="192.0.2.7", HTTP_X_FORWARDED_FOR="203.0.113.9"
    )

    assert client_ip(request) == "192.0.2.7"


@pytest.mark.usefixtures("behind_proxy")
def test_the_configured_header_gives_its_first_address() -> None:
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9, 10.0.0.1"
    )

    assert client_ip(request) == "203.0.113.9"


@pytest.mark.usefixtures("behind_proxy")
def test_a_request_without_the_header_came_straight_in() -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.7")

    assert client_ip(request) == "192.0.2.7"


@pytest.mark.usefixtures("behind_proxy")
def test_a_malformed_header_gives_no_address_and_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="unknown, 10.0.0.1"
    )

    with caplog.at_level(logging.WARNING, logger="dash_activity_log.metadata"):
        assert client_ip(request) is None

    assert caplog.messages == [
        "Ignored a malformed HTTP_X_FORWARDED_FOR header: 'unknown, 10.0.0.1'"
    ]


def test_ipv6_addresses_are_stored_in_their_short_form() -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="2001:db8:0:0:0:0:0:1")

    assert client_ip(request) == "2001:db8::1"


@pytest.mark.usefixtures("behind_proxy")
def test_an_ipv6_zone_is_dropped_from_the_address() -> None:
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="fe80::1%evil, 10.0.0.1"
    )

    assert client_ip(request) == "fe80::1"


def test_a_missing_or_odd_remote_addr_gives_no_address() -> None:
    request = RequestFactory().get("/")
    del request.META["REMOTE_ADDR"]
    assert client_ip(request) is None

    request.META["REMOTE_ADDR"] = "unix-socket"
    assert client_ip(request) is None


def test_the_user_agent_is_cut_to_fit() -> None:
    request = RequestFactory().get("/", HTTP_USER_AGENT="Mozilla/5.0 " + "x" * 600)

    assert user_agent(request) == ("Mozilla/5.0 " + "x" * 600)[:512]
    assert len(user_agent(request)) == 512


def test_a_request_without_user_agent_has_an_empty_one() -> None:
    assert user_agent(RequestFactory().get("/")) == ""
