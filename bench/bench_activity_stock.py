"""The baseline of the admin benchmark: Django's stock admin over the same table.

It has the options a first activity admin would have (the list columns,
filters on the event and on the subject types present, search and the
date drill-down) and Django's own machinery for them: a full ``COUNT``,
``SELECT DISTINCT`` for the filters' choices and the dates, and facets
where Django shows them. Served under ``/stock/`` next to the example
site's URLs.
"""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from dash_activity_log.models import Activity

__all__ = ["urlpatterns"]


class StockActivityAdmin(admin.ModelAdmin):
    list_display = ("created_at", "event", "subject_type", "subject_id", "causer_name")
    list_filter = ("event", ("subject_type", admin.RelatedOnlyFieldListFilter))
    search_fields = ("event", "=subject_id", "causer_name")
    date_hierarchy = "created_at"
    list_select_related = ("subject_type",)


site = admin.AdminSite(name="stock")
site.register(Activity, StockActivityAdmin)

urlpatterns = [
    path("stock/", site.urls),
    path("", include("example_project.urls")),
]
