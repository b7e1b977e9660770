"""ASGI entry point: daphne serves the admin and the event stream."""

import os

from django.conf import settings
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "example_project.settings")

application = get_asgi_application()
if settings.DEBUG:
    # Lets plain `daphne example_project.asgi:application` serve the admin's
    # and dash's static files in development, as runserver does.
    application = ASGIStaticFilesHandler(application)
