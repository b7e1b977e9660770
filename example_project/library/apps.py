from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "example_project.library"
    label = "library"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from dash_activity_log import log_events
        from example_project.library.events import LoanReturned

        # Returns are history worth keeping, next to the model changes.
        log_events(LoanReturned)
