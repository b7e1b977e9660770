"""URLs of the example site: the admin, with dash's stream under its prefix."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    # dash's URLs come before the admin's, whose catch-all would take them.
    path("admin/", include("dash.urls")),
    path("admin/", admin.site.urls),
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
]
