"""dash's URLs; include them under the admin prefix, before the admin's own.

path("admin/", include("dash.urls")),
path("admin/", admin.site.urls),
"""

from django.urls import path

from dash.broadcast.views import event_stream

app_name = "dash"

urlpatterns = [
    path("events/stream", event_stream, name="event-stream"),
]
