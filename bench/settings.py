"""Settings for ``make bench``: the test suite's, plus django-auditlog and a bench app.

The default database is the test suite's in-memory SQLite, where the save
benchmarks run. With ``DASH_BENCH_POSTGRES=1`` it is the ``dash_bench``
database of the local PostgreSQL instead (or the one
``DASH_BENCH_POSTGRES_DB`` names), for the admin benchmark, which
``python -m bench`` runs in a process of its own.
"""

import os

from tests.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "auditlog", "bench.benchapp"]  # noqa: F405

# Timings without the debug query log, which the example site keeps on.
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

if os.environ.get("DASH_BENCH_POSTGRES") == "1":
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": os.environ.get("DASH_BENCH_POSTGRES_DB", "dash_bench"),
            "USER": "postgres",
            "HOST": "127.0.0.1",
            "PORT": "5432",
        }
    }
