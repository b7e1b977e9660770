"""Settings for the example site: a small library run from the Django admin."""

import os
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent

# The example runs on loopback only; a real project reads its key from the
# environment.
SECRET_KEY = os.environ.get("DASH_EXAMPLE_SECRET_KEY", "example-only-not-secret")
DEBUG = os.environ.get("DASH_EXAMPLE_DEBUG", "1") == "1"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    # daphne's runserver serves the site over ASGI, which the stream needs.
    "daphne",
    # dash comes before django.contrib.admin so that its admin/base.html
    # wraps the admin's own and loads dash-wire.js on every admin page.
    "dash",
    "dash_activity_log",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_eventstream",
    "example_project.library",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "dash.middleware.CauserMiddleware",
    "dash_activity_log.middleware.ActivityLogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "example_project.urls"
ASGI_APPLICATION = "example_project.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("DASH_EXAMPLE_DB", str(BASE_DIR / "db.sqlite3")),
        # Admin saves and the stream's storage write from several threads:
        # taking the write lock when a transaction starts makes them wait
        # their turn instead of failing with "database is locked".
        "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
    }
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS: list[dict[str, str]] = []

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]

# Keep broadcast events in the database so that a browser that reconnects
# after a drop receives what it missed.
EVENTSTREAM_STORAGE_CLASS = "django_eventstream.storage.DjangoModelStorage"

# DASH_EXAMPLE_REDIS_URL=redis://127.0.0.1:6379/0 fans events out to every
# process through Redis. Without it, the serving process picks up events that
# other processes (manage.py dash_emit) store by polling the storage.
# django-eventstream reads this setting when it is imported.
if _redis_url := os.environ.get("DASH_EXAMPLE_REDIS_URL"):
    _redis = urlsplit(_redis_url)
    EVENTSTREAM_REDIS = {
        "host": _redis.hostname or "127.0.0.1",
        "port": _redis.port or 6379,
        "db": int(_redis.path.lstrip("/") or 0),
        "password": _redis.password,
    }

# The library's own broadcast channel: loan returns, for staff who may view
# loans (see example_project/library/events.py).
DASH = {"CHANNELS": {"loans": "library.view_loan"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "dash": {"handlers": ["console"], "level": "INFO"},
        "django_eventstream": {"handlers": ["console"], "level": "WARNING"},
    },
}
