"""``manage.py dash_emit``: dispatch a custom event, a deploy notice say."""

from __future__ import annotations

import contextlib
import difflib
import json
import logging
from collections.abc import Iterator
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dash.broadcast.channels import DEFAULT_CHANNEL, declared_channels
from dash.broadcast.watcher import reaches_other_processes
from dash.events.custom import CustomEvent
from dash.events.dispatcher import dispatcher

_EXAMPLE = '\'{"message": "Deploying"}\''
_JSON_TYPES = {
    list: "an array",
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "true or false",
    type(None): "null",
}


def _refuse_constant(name: str) -> Any:
    # Python's json reads NaN and Infinity, which JSON itself (and so the
    # browser's JSON.parse) does not.
    raise json.JSONDecodeError(f"{name} is not JSON", name, 0)


def _parse_payload(text: str) -> dict[str, Any]:
    try:
        payload = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise CommandError(
            f"--payload is not valid JSON ({exc}); pass an object such as {_EXAMPLE}."
        ) from exc
    if not isinstance(payload, dict):
        raise CommandError(
            f"--payload must be a JSON object such as {_EXAMPLE}, "
            f"not {_JSON_TYPES[type(payload)]}."
        )
    return payload


def _check_channel(channel: str) -> None:
    # dash's stream subscribes to these channels only; an event sent on any
    # other reaches nobody, and the command would still report success.
    known = declared_channels()
    if channel in known:
        return
    close = difflib.get_close_matches(channel, known, n=1, cutoff=0.8)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise CommandError(
        f"No stream reads the channel {channel!r}{hint}. The channels are "
        f"{', '.join(repr(name) for name in known)}; declare the project's own "
        "in DASH['CHANNELS']."
    )


class _ErrorRecords(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            message = f"{message}: {record.exc_info[1]}"
        self.messages.append(message)


@contextlib.contextmanager
def _errors_logged_by_dash() -> Iterator[list[str]]:
    # dash logs, rather than raises, what fails in a listener or in the
    # broadcast, so that a save goes through. Here a person waits for the
    # outcome: a failure must fail the command.
    handler = _ErrorRecords()
    logger = logging.getLogger("dash")
    logger.addHandler(handler)
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)


class Command(BaseCommand):
    help = (
        "Dispatch a custom event, such as a deploy notice, to dash's listeners; "
        "with --broadcast, also send it to the browsers connected to the "
        "running site."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "name", help="The event's name in lowercase dotted words: deploy.notice."
        )
        parser.add_argument(
            "--payload",
            default="{}",
            help=f"The event's data, a JSON object such as {_EXAMPLE}. Default: {{}}.",
        )
        parser.add_argument(
            "--channel",
            default=DEFAULT_CHANNEL,
            help=(
                "The broadcast channel: "
                f"'{DEFAULT_CHANNEL}' (all staff), "
                "'model.<app_label>.<model_name>' (who may view that model) "
                "or one named in DASH['CHANNELS']; others are refused, since "
                f"no stream reads them. Default: {DEFAULT_CHANNEL}."
            ),
        )
        parser.add_argument(
            "--broadcast",
            action="store_true",
            help="Send the event to the browsers of the running site as well.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        payload = _parse_payload(options["payload"])
        _check_channel(options["channel"])
        try:
            event = CustomEvent(
                options["name"],
                payload,
                channel=options["channel"],
                broadcast=options["broadcast"],
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if event.broadcast and not reaches_other_processes():
            raise CommandError(
                "--broadcast cannot reach the running site: django-eventstream "
                "pushes only to the streams of the process that sends. Set "
                "EVENTSTREAM_STORAGE_CLASS to "
                "'django_eventstream.storage.DjangoModelStorage', or "
                "EVENTSTREAM_REDIS."
            )

        with _errors_logged_by_dash() as errors:
            dispatcher.dispatch(event)
        if errors:
            failures = "; ".join(message.rstrip(".") for message in errors)
            raise CommandError(f"{event.name} was dispatched, but: {failures}.")

        if options["verbosity"] >= 1:
            where = f" and broadcast on '{event.channel}'" if event.broadcast else ""
            self.stdout.write(self.style.SUCCESS(f"Dispatched {event.name}{where}."))
