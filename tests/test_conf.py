"""dash's settings: defaults, overrides and refusals."""

import pytest
from django.test import override_settings

from dash.conf import DEFAULT_BROADCAST_POLL_INTERVAL, dash_settings, unknown_keys


def test_broadcast_poll_interval_defaults_to_half_a_second() -> None:
    assert DEFAULT_BROADCAST_POLL_INTERVAL == 0.5
    assert dash_settings().broadcast_poll_interval == 0.5


@override_settings(DASH={"BROADCAST_POLL_INTERVAL": 2})
def test_broadcast_poll_interval_is_read_from_settings() -> None:
    assert dash_settings().broadcast_poll_interval == 2.0
    assert unknown_keys() == []


@pytest.mark.parametrize("value", [0, -1, "1", True, None])
def test_broadcast_poll_interval_must_be_a_positive_number(value: object) -> None:
    with (
        override_settings(DASH={"BROADCAST_POLL_INTERVAL": value}),
        pytest.raises(TypeError) as raised,
    ):
        dash_settings()

    assert str(raised.value) == (
        "settings.DASH['BROADCAST_POLL_INTERVAL'] must be a positive number of seconds."
    )
