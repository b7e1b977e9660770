"""Time the activity admin's pages over 1,000,000 activities on PostgreSQL.

``run()`` starts ``python -m bench.bench_activity_admin`` with the bench
settings pointed at the ``dash_bench`` database of the local PostgreSQL
(``DASH_BENCH_POSTGRES_DB`` names another, so two runs can share the server).
That process creates the database afresh, migrates it, fills it with
``INSERT ... SELECT generate_series`` (about half a minute here),
vacuums and analyzes it, and renders each page through Django's test
client as a superuser: the best of REPEAT runs after one warm-up, with the
stock Django admin of ``bench_activity_stock`` as the baseline where one
applies. It drops the database again when it is done, even after a failure.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from typing import Any

__all__ = ["ROWS", "run"]

ROWS = 1_000_000
REPEAT = 5
STOCK_REPEAT = 3
DATABASE = os.environ.get("DASH_BENCH_POSTGRES_DB", "dash_bench")
TARGET_MS = 300.0
_SERVER = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}

Row = tuple[str, float, float | None]


def postgres_answers() -> bool:
    """Return whether the local PostgreSQL accepts connections."""
    try:
        with socket.create_connection((_SERVER["host"], _SERVER["port"]), timeout=0.5):
            return True
    except OSError:
        return False


def run() -> list[Row] | None:
    """Return ``(page, ms, stock ms or None)`` rows; ``None`` without PostgreSQL.

    Raise ``RuntimeError`` with the child's output when it fails.
    """
    if not postgres_answers():
        return None
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DASH_BENCH_POSTGRES": "1",
    }
    result = subprocess.run(
        [sys.executable, "-m", "bench.bench_activity_admin"],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    if result.returncode != 0:
        raise RuntimeError(f"bench_activity_admin failed:\n{result.stderr}")
    return [tuple(row) for row in json.loads(result.stdout.splitlines()[-1])]


def _server_connection() -> Any:
    import psycopg

    return psycopg.connect(dbname="postgres", autocommit=True, **_SERVER)


def _create_database() -> None:
    with _server_connection() as server:
        # A database left by a run that was killed is stale.
        server.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        server.execute(f'CREATE DATABASE "{DATABASE}"')


def _drop_database() -> None:
    with _server_connection() as server:
        server.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')


_FILL = """
INSERT INTO dash_activity_log_activity (
    event, description, subject_type_id, subject_id, causer_id, causer_name,
    properties, batch, ip_address, user_agent, created_at, channel
)
SELECT
    CASE WHEN n %% 100 = 0 THEN 'deploy.notice'
         ELSE (%(labels)s::text[])[1 + n %% 5] || '.'
              || (%(actions)s::text[])[1 + (n / 5) %% 5] END,
    'Bench activity ' || n,
    CASE WHEN n %% 100 = 0 THEN NULL ELSE (%(types)s::int[])[1 + n %% 5] END,
    CASE WHEN n %% 100 = 0 THEN '' ELSE (1 + (n / 5) %% 2000)::text END,
    (%(causers)s::int[])[1 + n %% 4],
    (%(names)s::text[])[1 + n %% 4],
    jsonb_build_object('changes', jsonb_build_object(
        'name', jsonb_build_object('old', 'Name ' || n, 'new', 'Name ' || n + 1))),
    gen_random_uuid(),
    ('203.0.113.' || n %% 250)::inet,
    'Mozilla/5.0 (X11; Linux x86_64) bench',
    now() - make_interval(secs => n * 30),
    ''
FROM generate_series(1, %(rows)s) AS n
"""


def _fill() -> dict[str, Any]:
    """Fill the tables; return the users and objects the pages need."""
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from example_project.library import models as library

    user_model = get_user_model()
    admin = user_model.objects.create_superuser("bench-admin", "", "bench")
    staff = [
        user_model.objects.create_user(f"editor{n}", is_staff=True) for n in range(3)
    ]
    author = library.Author.objects.create(name="Frank Herbert")
    # Its pk is 1, like one subject in every 2,000 the fill writes about.
    book = library.Book.objects.create(
        title="Dune",
        isbn="9780441013593",
        author=author,
        published_on="1965-08-01",
        price="9.99",
        pages=412,
    )
    models = [library.Book, library.Author, library.Member, library.Loan, library.Genre]
    types = [ContentType.objects.get_for_model(model) for model in models]
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            _FILL,
            {
                "labels": [t.app_label + "." + t.model for t in types],
                "actions": ["created", "updated", "updated", "updated", "deleted"],
                "types": [t.pk for t in types],
                "causers": [*(user.pk for user in staff), None],
                "names": [*(user.username for user in staff), "system: import"],
                "rows": ROWS,
            },
        )
        cursor.execute("VACUUM ANALYZE dash_activity_log_activity")
    print(f"filled in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return {"admin": admin, "book": book, "types": types, "staff": staff}


def _best(client: Any, url: str, repeat: int) -> float:
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url)
        timings.append(time.perf_counter() - started)
    return min(timings) * 1000


def _measure() -> list[Row]:
    from django.core.management import call_command
    from django.test import Client, override_settings

    from dash_activity_log.models import Activity

    call_command("migrate", verbosity=0)
    found = _fill()
    client = Client()
    client.force_login(found["admin"])
    book_type = found["types"][0]
    month = (
        Activity.objects.order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    newest = Activity.objects.order_by("-created_at", "-id").first()
    assert month is not None and newest is not None
    lists = "/admin/dash_activity_log/activity/"
    stock = "/stock/dash_activity_log/activity/"
    pages: list[tuple[str, str, str | None]] = [
        ("list", "", ""),
        ("list, action updated", "?action=updated", None),
        (
            "list, subject type book",
            f"?subject_type__id__exact={book_type.pk}",
            f"?subject_type__id__exact={book_type.pk}",
        ),
        ("list, one causer", f"?causer__id__exact={found['staff'][0].pk}", None),
        (
            "list, newest month",
            f"?created_at__year={month.year}&created_at__month={month.month}",
            f"?created_at__year={month.year}&created_at__month={month.month}",
        ),
        ("list, action custom (1 %)", "?action=custom", None),
        # The search: a common and a rare event prefix, a subject id, a
        # causer name, and a term nothing matches (the worst case for a
        # search that reads rows instead of an index).
        ("list, search by event name", "?q=library.book", "?q=library.book"),
        ("list, search by rare event", "?q=deploy", "?q=deploy"),
        ("list, search by subject id", "?q=17", "?q=17"),
        ("list, search by causer name", "?q=editor1", "?q=editor1"),
        ("list, search matching nothing", "?q=nobody", "?q=nobody"),
    ]
    rows: list[Row] = []
    with override_settings(ROOT_URLCONF="bench.bench_activity_stock"):
        for name, query, stock_query in pages:
            ours = _best(client, f"{lists}{query}", REPEAT)
            theirs = (
                None
                if stock_query is None
                else _best(client, f"{stock}{stock_query}", STOCK_REPEAT)
            )
            rows.append((name, ours, theirs))
        rows.append(
            (
                "timeline (History of a book)",
                _best(
                    client, f"/admin/library/book/{found['book'].pk}/history/", REPEAT
                ),
                None,
            )
        )
        rows.append(
            (
                "activity detail",
                _best(client, f"{lists}{newest.pk}/change/", REPEAT),
                None,
            )
        )
    return rows


def main() -> None:
    import django
    from django.db import connections

    _create_database()
    try:
        django.setup()
        rows = _measure()
    finally:
        connections.close_all()
        _drop_database()
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
