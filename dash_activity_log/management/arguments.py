"""Check the arguments the activity log's commands share."""

from __future__ import annotations

from django.core.management.base import CommandError
from django.db import connections

__all__ = ["database_alias"]


def database_alias(alias: str) -> str:
    """Return ``alias`` if it names one of ``settings.DATABASES``.

    Raise ``CommandError`` naming the project's databases otherwise.
    """
    aliases = list(connections)
    if alias not in aliases:
        raise CommandError(
            f"--database must name one of this project's databases "
            f"({', '.join(aliases)}); got {alias!r}."
        )
    return alias
