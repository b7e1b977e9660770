"""``is_login_update`` singles out the save Django's login makes."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from dash.events import ModelCreated, ModelUpdated
from dash.logins import is_login_update
from tests.testapp.models import Category

SIGN_IN = {"last_login": {"old": None, "new": "2026-03-01T09:00:00+00:00"}}


def _updated(instance: Any, changes: dict[str, Any]) -> ModelUpdated:
    return ModelUpdated(instance, fields={}, changes=changes, using="default")


def test_a_user_update_of_the_last_login_alone_is_a_sign_in() -> None:
    assert is_login_update(_updated(User(pk=1, username="editor"), SIGN_IN)) is True


@pytest.mark.parametrize(
    "changes",
    [
        {**SIGN_IN, "first_name": {"old": "", "new": "Eddie"}},
        {"first_name": {"old": "", "new": "Eddie"}},
        {},
    ],
)
def test_any_other_user_update_is_not(changes: dict[str, Any]) -> None:
    assert is_login_update(_updated(User(pk=1, username="editor"), changes)) is False


def test_a_last_login_of_another_model_is_not() -> None:
    assert is_login_update(_updated(Category(pk=1, name="SF"), SIGN_IN)) is False


def test_a_creation_is_not() -> None:
    created = ModelCreated(User(pk=1, username="editor"), fields={}, using="default")

    assert is_login_update(created) is False


def test_a_new_password_alongside_the_last_login_is_not() -> None:
    event = ModelUpdated(
        User(pk=1, username="editor"),
        fields={},
        changes=SIGN_IN,
        hidden_changes=("password",),
        using="default",
    )

    assert is_login_update(event) is False
