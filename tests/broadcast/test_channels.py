import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser, Permission, User
from django.test import override_settings

from dash.broadcast.channels import (
    can_read_channel,
    declared_channels,
    readable_channels,
)

pytestmark = pytest.mark.django_db


def make_staff(username: str, *codenames: str) -> User:
    user = User.objects.create_user(username, is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return User.objects.get(pk=user.pk)  # fresh permission cache


def test_staff_reads_model_channels_only_with_view_or_change_permission() -> None:
    viewer = make_staff("viewer", "view_category")
    changer = make_staff("changer", "change_article")

    assert can_read_channel(viewer, "model.testapp.category") is True
    assert can_read_channel(viewer, "model.testapp.article") is False
    assert can_read_channel(changer, "model.testapp.article") is True
    assert can_read_channel(changer, "model.testapp.category") is False


def test_staff_reads_the_default_channel() -> None:
    assert can_read_channel(make_staff("staff"), "dash") is True


@override_settings(DASH={"CHANNELS": {"ops": None, "loans": "testapp.view_article"}})
def test_project_channels_follow_their_rule() -> None:
    staff = make_staff("staff")
    viewer = make_staff("viewer", "view_article")

    assert can_read_channel(staff, "ops") is True
    assert can_read_channel(staff, "loans") is False
    assert can_read_channel(viewer, "loans") is True
    assert readable_channels(viewer) == [
        "dash",
        "ops",
        "loans",
        "model.testapp.article",
    ]


def test_unlisted_channels_are_read_by_no_one() -> None:
    superuser = User.objects.create_superuser("root")

    assert can_read_channel(superuser, "ops") is False


@override_settings(DASH={"CHANNELS": {"ops": 3}})
def test_malformed_channels_setting_is_refused() -> None:
    with pytest.raises(TypeError, match=r"settings.DASH\['CHANNELS'\] must map"):
        can_read_channel(make_staff("staff"), "ops")


@pytest.mark.parametrize("kind", ["anonymous", "plain", "inactive"])
def test_non_staff_read_nothing(kind: str) -> None:
    user = {
        "anonymous": lambda: AnonymousUser(),
        "plain": lambda: User.objects.create_user("plain"),
        "inactive": lambda: User.objects.create_user(
            "gone", is_staff=True, is_superuser=True, is_active=False
        ),
    }[kind]()

    assert can_read_channel(user, "dash") is False
    assert can_read_channel(user, "model.testapp.category") is False
    assert readable_channels(user) == []


def test_unknown_model_channel_is_unreadable() -> None:
    superuser = User.objects.create_superuser("root")

    assert can_read_channel(superuser, "model.nope.missing") is False


def test_readable_channels_lists_default_and_viewable_models() -> None:
    viewer = make_staff("viewer", "view_category", "change_token")

    assert readable_channels(viewer) == [
        "dash",
        "model.testapp.category",
        "model.testapp.token",
    ]


@override_settings(DASH={"CHANNELS": {"ops": None, "loans": "testapp.view_article"}})
def test_declared_channels_are_every_channel_a_stream_can_read() -> None:
    model_channels = [f"model.{model._meta.label_lower}" for model in apps.get_models()]

    assert declared_channels() == ["dash", "ops", "loans", *model_channels]
    assert "model.testapp.category" in model_channels
    assert set(readable_channels(User.objects.create_superuser("root"))) == set(
        declared_channels()
    )


@override_settings(DASH={"CHANNELS": {"dash": None, "model.testapp.category": None}})
def test_declared_channels_name_each_channel_once() -> None:
    channels = declared_channels()

    assert channels[0] == "dash"
    assert len(channels) == len(set(channels))
