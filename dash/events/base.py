"""The ``Event`` base class that every dash event derives from."""

from __future__ import annotations

import dataclasses
import inspect
import os
import random
import re
from datetime import UTC, datetime
from typing import Any, Self

__all__ = ["Event", "validate_event_name"]

#: Attributes every event has; a dataclass field of the same name would
#: silently replace them.
_RESERVED = frozenset({"id", "name", "timestamp", "broadcast", "channel", "using"})
_NAME_PATTERN = re.compile(r"^[a-z0-9_]+(?:[.-][a-z0-9_]+)*$")

# Event ids only need to be unique, not secret. uuid4() reads the kernel's
# random source on every call, which was a tenth of what an event cost; a
# generator of our own, seeded from that source at start and again in every
# forked worker, gives the same 128 random bits without the system call. It
# is not the module-level random, which test suites reseed to fixed values.
_ids = random.Random()
os.register_at_fork(after_in_child=_ids.seed)


def _new_id() -> str:
    return f"{_ids.getrandbits(128):032x}"


def validate_event_name(name: str) -> str:
    """Return ``name`` if it is a valid event name, else raise ``ValueError``.

    A name is lowercase dotted words, such as ``"library.book.updated"`` or
    ``"deploy.notice"``; letters, digits, ``_`` and ``-`` only.
    """
    if not isinstance(name, str) or not _NAME_PATTERN.match(name):
        raise ValueError(
            f"Invalid event name {name!r}: use lowercase dotted words such as "
            "'library.book.updated' (letters, digits, '_' and '-')."
        )
    return name


def _snake_case(class_name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", class_name).lower()


class Event:
    """Something that happened, dispatched to listeners by name and by class.

    Subclasses set the class attributes:

    - ``name``: the event's dotted name; defaults to the class name in
      snake case (``DeployNotice`` is ``"deploy_notice"``).
    - ``broadcast``: whether the event is sent to browsers once the
      surrounding transaction commits.
    - ``channel``: the broadcast channel; who may read it is decided by
      ``dash.broadcast.channels``.

    Every instance gets a unique ``id`` and an aware UTC ``timestamp`` when it
    is created, also when the subclass is a dataclass with its own
    ``__init__``.
    """

    name: str = "event"
    broadcast: bool = False
    channel: str = "dash"
    #: Database alias whose transaction the event belongs to.
    using: str | None = None

    id: str
    timestamp: datetime
    _propagation_stopped: bool

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        clashes = _RESERVED & set(inspect.get_annotations(cls))
        if clashes:
            raise TypeError(
                f"{cls.__name__} declares {', '.join(sorted(clashes))}, which "
                "every event already has; name those fields differently."
            )
        if "name" not in cls.__dict__:
            cls.name = _snake_case(cls.__name__)
        validate_event_name(cls.name)

    def __new__(cls, *args: Any, **kwargs: Any) -> Self:
        # Set in __new__ rather than __init__ so that subclasses, dataclasses
        # included, need not call super().__init__().
        self = super().__new__(cls)
        self.id = _new_id()
        self.timestamp = datetime.now(UTC)
        self._propagation_stopped = False
        return self

    def to_payload(self) -> dict[str, Any]:
        """Return the event's data as a JSON-safe dict.

        The default serializes a dataclass's fields; other subclasses
        override it.
        """
        if dataclasses.is_dataclass(self):
            from dash.serialization import to_json_safe

            return {
                field.name: to_json_safe(getattr(self, field.name))
                for field in dataclasses.fields(self)
            }
        return {}

    def stop_propagation(self) -> None:
        """Stop the dispatcher from calling the listeners after this one."""
        self._propagation_stopped = True

    @property
    def propagation_stopped(self) -> bool:
        return self._propagation_stopped

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name} {self.id}>"
