"""Fixtures shared by the whole suite."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings

from tests.support.listeners import without_default_listeners
from tests.support.live_site import LiveSite, run_live_site


@pytest.fixture(scope="session")
def live_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveSite]:
    """The example project, migrated, seeded and served by daphne."""
    with run_live_site(tmp_path_factory.mktemp("live-site")) as site:
        yield site


@pytest.fixture(params=["default", "postgres"])
def db_alias(request: pytest.FixtureRequest) -> str:
    """Each database alias in turn; PostgreSQL skips when no server answers."""
    alias: str = request.param
    if alias not in settings.DATABASES:
        pytest.skip(settings.POSTGRES_UNAVAILABLE)
    return alias


@pytest.fixture
def no_default_listeners() -> Iterator[None]:
    """Nothing listens but what the test registers."""
    with without_default_listeners():
        yield
