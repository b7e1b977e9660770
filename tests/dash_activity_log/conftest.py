"""Make the recorder's failures fail the tests instead of being logged."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _raise_listener_errors(settings: Any) -> None:
    settings.DASH = {**getattr(settings, "DASH", {}), "RAISE_LISTENER_ERRORS": True}
