from django.apps import AppConfig


class DashConfig(AppConfig):
    name = "dash"
    verbose_name = "dash"

    def ready(self) -> None:
        from dash import checks, signals
        from dash.broadcast import relay, revocation

        checks.register()
        signals.connect()
        relay.connect()
        revocation.connect()
