"""The migrations describe the models exactly."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_the_models_need_no_new_migration() -> None:
    out = StringIO()

    call_command(
        "makemigrations", "dash_activity_log", "--check", "--dry-run", stdout=out
    )

    assert out.getvalue() == "No changes detected in app 'dash_activity_log'\n"
