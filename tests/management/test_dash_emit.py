"""``dash_emit`` dispatches a custom event, broadcasts it on request, and fails
with a message and exit status 1 on bad input or when anything fails."""

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.test import override_settings
from django_eventstream.models import Event as StoredEvent
from django_eventstream.storage import DjangoModelStorage
from pytest_django.fixtures import Settings

from dash.events import Event, dispatcher
from dash.events.custom import CustomEvent
from dash.management.commands import dash_emit
from dash.testing import capture_events

ROOT = Path(__file__).resolve().parents[2]


class DownStorage(DjangoModelStorage):
    """A storage whose database went away."""

    def append_event(self, channel: str, event_type: str, data: Any) -> Any:
        raise ConnectionError("The storage is down")


def emit(*args: str) -> str:
    out = StringIO()
    call_command("dash_emit", *args, stdout=out, no_color=True)
    return out.getvalue()


@pytest.fixture
def heard() -> Iterator[list[Event]]:
    events: list[Event] = []
    dispatcher.listen("deploy.*", events.append)
    yield events
    dispatcher.remove_listener(events.append)


def test_dispatches_the_event_with_its_payload(heard: list[Event]) -> None:
    output = emit("deploy.notice", "--payload", '{"message": "Deploying"}')

    assert output == "Dispatched deploy.notice.\n"
    [event] = heard
    assert isinstance(event, CustomEvent)
    assert (event.name, event.channel, event.broadcast) == (
        "deploy.notice",
        "dash",
        False,
    )
    assert event.to_payload() == {"message": "Deploying"}


@pytest.mark.django_db(transaction=True)
def test_broadcast_goes_to_django_eventstream_on_the_channel() -> None:
    output = emit(
        "deploy.notice",
        "--payload",
        '{"message": "Deploying"}',
        "--channel",
        "model.testapp.category",
        "--broadcast",
    )

    assert (
        output
        == "Dispatched deploy.notice and broadcast on 'model.testapp.category'.\n"
    )
    [row] = StoredEvent.objects.filter(channel="model.testapp.category", type="message")
    message = json.loads(json.loads(row.data))
    assert (message["name"], message["payload"]) == (
        "deploy.notice",
        {"message": "Deploying"},
    )


def _refusal(channel: str, hint: str = "") -> str:
    channels = ["dash", "ops", "loans"] + [
        f"model.{model._meta.label_lower}" for model in apps.get_models()
    ]
    return (
        f"No stream reads the channel {channel!r}{hint}. The channels are "
        f"{', '.join(repr(name) for name in channels)}; declare the project's "
        "own in DASH['CHANNELS']."
    )


@override_settings(DASH={"CHANNELS": {"ops": None, "loans": "testapp.view_article"}})
@pytest.mark.parametrize(
    ("args", "hint"),
    [
        (("--channel", "deploys"), ""),
        (("--channel", "loan", "--broadcast"), " (did you mean 'loans'?)"),
        (
            ("--channel", "model.testapp.Category", "--broadcast"),
            " (did you mean 'model.testapp.category'?)",
        ),
        (("--channel", "model.nope.missing"), ""),
    ],
)
def test_a_channel_no_stream_reads_is_refused_naming_those_that_exist(
    heard: list[Event], args: tuple[str, ...], hint: str
) -> None:
    with pytest.raises(CommandError) as raised:
        emit("deploy.notice", *args)

    assert str(raised.value) == _refusal(args[1], hint)
    assert heard == []


@override_settings(DASH={"CHANNELS": {"ops": None}})
def test_a_project_channel_is_accepted(heard: list[Event]) -> None:
    assert emit("deploy.notice", "--channel", "ops") == "Dispatched deploy.notice.\n"
    assert [event.channel for event in heard] == ["ops"]


@override_settings(DASH={"CHANNELS": {"ops": None, "loans": "testapp.view_article"}})
def test_from_the_shell_an_unread_channel_exits_with_status_1(
    capsys: pytest.CaptureFixture[str], heard: list[Event]
) -> None:
    command = dash_emit.Command()

    with pytest.raises(SystemExit) as exited:
        command.run_from_argv(
            ["manage.py", "dash_emit", "deploy.notice", "--channel", "loan"]
        )

    assert exited.value.code == 1
    assert capsys.readouterr() == (
        "",
        f"CommandError: {_refusal('loan', ' (did you mean ' + repr('loans') + '?)')}\n",
    )
    assert heard == []


def test_verbosity_zero_prints_nothing(heard: list[Event]) -> None:
    assert emit("deploy.notice", "--verbosity", "0") == ""
    assert len(heard) == 1


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (
            "{message: Deploying}",
            "--payload is not valid JSON (Expecting property name enclosed in "
            "double quotes: line 1 column 2 (char 1)); pass an object such as "
            '\'{"message": "Deploying"}\'.',
        ),
        (
            '["Deploying"]',
            '--payload must be a JSON object such as \'{"message": "Deploying"}\', '
            "not an array.",
        ),
        (
            '"Deploying"',
            '--payload must be a JSON object such as \'{"message": "Deploying"}\', '
            "not a string.",
        ),
        (
            '{"message": NaN}',
            "--payload is not valid JSON (NaN is not JSON: line 1 column 1 "
            '(char 0)); pass an object such as \'{"message": "Deploying"}\'.',
        ),
    ],
)
def test_payload_that_is_not_a_json_object_is_refused(
    heard: list[Event], payload: str, message: str
) -> None:
    with pytest.raises(CommandError) as raised:
        emit("deploy.notice", "--payload", payload)

    assert str(raised.value) == message
    assert heard == []


def test_invalid_name_is_refused() -> None:
    with capture_events() as events, pytest.raises(CommandError) as raised:
        emit("Deploy Notice")

    assert str(raised.value) == (
        "Invalid event name 'Deploy Notice': use lowercase dotted words such as "
        "'library.book.updated' (letters, digits, '_' and '-')."
    )
    assert events.names == []


def test_broadcast_that_cannot_leave_this_process_is_refused(
    settings: Settings, heard: list[Event]
) -> None:
    del settings.EVENTSTREAM_STORAGE_CLASS

    with pytest.raises(CommandError) as raised:
        emit("deploy.notice", "--broadcast")

    assert str(raised.value) == (
        "--broadcast cannot reach the running site: django-eventstream pushes only "
        "to the streams of the process that sends. Set EVENTSTREAM_STORAGE_CLASS "
        "to 'django_eventstream.storage.DjangoModelStorage', or EVENTSTREAM_REDIS."
    )
    assert heard == []


def test_failing_listener_fails_the_command() -> None:
    def broken(event: Event) -> None:
        raise RuntimeError("boom")

    dispatcher.listen("deploy.*", broken)
    try:
        with capture_events() as events, pytest.raises(CommandError) as raised:
            emit("deploy.notice")
    finally:
        dispatcher.remove_listener(broken)

    assert str(raised.value) == (
        "deploy.notice was dispatched, but: Listener tests.management.test_dash_emit."
        "test_failing_listener_fails_the_command.<locals>.broken failed on event "
        f"deploy.notice ({events[0].id}): boom."
    )


@pytest.mark.django_db(transaction=True)
@override_settings(
    EVENTSTREAM_STORAGE_CLASS="tests.management.test_dash_emit.DownStorage"
)
def test_failing_broadcast_fails_the_command() -> None:
    with pytest.raises(CommandError) as raised:
        emit("deploy.notice", "--broadcast")

    assert str(raised.value) == (
        "deploy.notice was dispatched, but: Broadcast of deploy.notice on channel "
        "dash failed: The storage is down."
    )


def test_from_the_shell_bad_input_exits_with_status_1(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "example_project.settings",
        "DASH_EXAMPLE_DB": str(tmp_path / "unused.sqlite3"),
    }

    result = subprocess.run(
        [sys.executable, "manage.py", "dash_emit", "deploy.notice", "--payload", "{"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        "CommandError: --payload is not valid JSON (Expecting property name "
        "enclosed in double quotes: line 1 column 2 (char 1)); pass an object "
        'such as \'{"message": "Deploying"}\'.\n'
    )
