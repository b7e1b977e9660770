"""dash's activity log: who changed what, kept as history.

The public API: ``log_activity`` and ``alog_activity`` record what is not
a model change, ``log_events`` and ``stop_logging_events`` opt custom dash
events in, and ``batch`` groups what a script does. The names are imported
on first use, because the package is imported before Django's models are
ready.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dash_activity_log.api import alog_activity, log_activity
    from dash_activity_log.context import batch
    from dash_activity_log.registry import log_events, stop_logging_events

__all__ = [
    "alog_activity",
    "batch",
    "log_activity",
    "log_events",
    "stop_logging_events",
]

_HOMES = {
    "alog_activity": "dash_activity_log.api",
    "batch": "dash_activity_log.context",
    "log_activity": "dash_activity_log.api",
    "log_events": "dash_activity_log.registry",
    "stop_logging_events": "dash_activity_log.registry",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(home), name)
