"""dash: Django model changes as typed events, live in the admin.

The public API lives in ``dash.events`` (events and the dispatcher),
``dash.context`` (who is acting) and ``dash.testing`` (helpers for tests);
``dash.panel`` keeps the panel-style callbacks of earlier plans.
"""

from dash.panel import panel

__all__ = ["panel"]
