"""Settings for the test suite: the example project on SQLite, plus PostgreSQL.

The ``postgres`` alias exists only when a server answers on 127.0.0.1:5432;
tests that use it skip, saying why, when it does not.
"""

import os
import socket

from example_project.settings import *  # noqa: F403

# CI and this machine run PostgreSQL on 5432; another port lets a run check
# that the PostgreSQL tests skip, saying why, where no server answers.
POSTGRES_PORT = os.environ.get("DASH_TEST_POSTGRES_PORT", "5432")
POSTGRES_UNAVAILABLE = f"PostgreSQL is not answering on 127.0.0.1:{POSTGRES_PORT}"


def _postgres_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", int(POSTGRES_PORT)), timeout=0.5):
            return True
    except OSError:
        return False


DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": ":memory:",
    }
}
POSTGRES_AVAILABLE = _postgres_answers()
if POSTGRES_AVAILABLE:
    DATABASES["postgres"] = {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "test",
        "USER": "postgres",
        "HOST": "127.0.0.1",
        "PORT": POSTGRES_PORT,
        # Another name lets two runs share one server without dropping
        # each other's database.
        "TEST": {"NAME": os.environ.get("DASH_TEST_POSTGRES_DB", "test_dash")},
    }

INSTALLED_APPS = [*INSTALLED_APPS, "tests.testapp"]  # noqa: F405
# The example site's URLs plus views that save the test app's models.
ROOT_URLCONF = "tests.testapp.urls"

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
