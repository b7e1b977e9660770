"""A read-only admin for the activity log: history is browsed, never edited.

The list stays fast on millions of rows: its count is estimated or capped
(``paginator``), its date drill-down probes the index (``date_hierarchy``),
its filters read no activity to list their choices (``filters``), its
search matches only what an index can find (``indexes``), facets are off,
and the subjects' links cost one query per model on the page
(``subjects``). Every History page of the admin site also shows the
object's activities (``templates/admin/object_history.html``).

A description may be megabytes long: a row, a title or a link shows its
first ``diffs.BRIEF_CHARACTERS`` characters (``Activity.__str__``), the
detail page its first ``diffs.SHOWN_CHARACTERS`` and its length. The
list takes only the query parameters it makes itself
(``ActivityAdmin.lookup_allowed``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.core import checks
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from dash_activity_log import subjects, visibility
from dash_activity_log.admin_checks import check_app_order
from dash_activity_log.diffs import Text, brief, readable
from dash_activity_log.filters import ActionFilter, CauserFilter, SubjectTypeFilter
from dash_activity_log.models import Activity
from dash_activity_log.paginator import ActivityPaginator
from dash_activity_log.templatetags.activity_log_admin import activity_value

__all__ = ["ActivityAdmin", "ActivityChangeList"]

# ModelAdmin is generic only in django-stubs; subscripting it at run time fails.
if TYPE_CHECKING:
    _ModelAdmin = admin.ModelAdmin[Activity]
else:
    _ModelAdmin = admin.ModelAdmin


class ActivityChangeList(ChangeList):
    """The activity list, which links each page's subjects in one go."""

    def get_results(self, request: HttpRequest) -> None:
        super().get_results(request)
        # Evaluating the page here fills its result cache: the template
        # then iterates these same instances, links attached.
        subjects.link_subjects(
            list(self.result_list), request, self.model_admin.admin_site
        )


# The admin reads the name "description" in list_display as the model's
# field, not a method, and names a column's CSS class after a callable's
# __name__: this function keeps the column's "field-description".
@admin.display(description=_("description"), ordering="description")
def description(activity: Activity) -> str:
    """Show the start of ``activity``'s description, as a list row does."""
    return brief(activity.description)


@admin.register(Activity)
class ActivityAdmin(_ModelAdmin):
    """List and show activities; nobody may add, change or delete one here.

    Viewing follows Django's usual view permission, narrowed to the
    activities about models the user may view or change.
    """

    list_display = ("created_at", "event", "subject_link", "causer_name", description)
    list_filter = (
        ActionFilter,
        ("subject_type", SubjectTypeFilter),
        ("causer", CauserFilter),
    )
    # What indexes serve (see models.Activity.Meta.indexes): the start of an
    # event or causer name in any case, and a whole subject id ("1" should
    # not find 10, 21 and 100). A fragment from the middle is not found:
    # no index can look one up, so every search would read the whole table.
    search_fields = ("^event", "subject_id__exact", "^causer_name")
    search_help_text = _(
        "Finds activities whose event or causer name starts with the text, "
        "in any case, or whose subject id is exactly the text. Each word must "
        "match; put a name with spaces in quotes."
    )
    date_hierarchy = "created_at"
    #: The query parameters of the list's filters and of the links the
    #: admin makes to it: a batch's and a History page's. The date
    #: drill-down's are added in ``lookup_allowed``.
    allowed_lookups: ClassVar[frozenset[str]] = frozenset(
        {
            "action",
            "subject_type__id__exact",
            "subject_type__isnull",
            # The causer filter names the user model's key, whatever it is.
            f"causer__{Activity._meta.get_field('causer').target_field.name}__exact",
            "causer__isnull",
            "batch",
            "subject_id",
        }
    )
    list_select_related = ("subject_type",)
    paginator = ActivityPaginator
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "created_at",
                    "event",
                    "description_text",
                    "subject_link",
                    "batch_link",
                )
            },
        ),
        (
            _("Who"),
            {"fields": ("causer", "causer_name", "ip_address", "user_agent")},
        ),
        (_("Changes"), {"fields": ("properties_table",)}),
    )
    readonly_fields = (
        "created_at",
        "event",
        "description_text",
        "subject_link",
        "batch_link",
        "causer",
        "causer_name",
        "ip_address",
        "user_agent",
        "properties_table",
    )

    class Media:
        css: ClassVar[dict[str, tuple[str, ...]]] = {
            "all": ("dash_activity_log/activity-admin.css",)
        }

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        return [*super().check(**kwargs), *check_app_order()]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: Activity | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: Activity | None = None
    ) -> bool:
        return False

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest) -> bool:
        """Allow only the lookups the list's own filters and links make.

        Django allows a lookup on any field of the model from the query
        string: ``properties__contains`` fails on SQLite and
        ``description__icontains`` reads the whole table. A month or a day
        of the date drill-down needs the year and month above it, or it
        would match that month or day of every year, reading every row. A
        refused lookup is answered with 400 Bad Request.
        """
        if lookup in self.allowed_lookups:
            return True
        parts = [f"{self.date_hierarchy}__{part}" for part in ("year", "month", "day")]
        if lookup not in parts:
            return False
        above = parts[: parts.index(lookup)]
        return all(part in request.GET for part in above)

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return ActivityChangeList

    def get_queryset(self, request: HttpRequest) -> QuerySet[Activity]:
        # An activity repeats its subject's values: only those who may see
        # the subject's model may read it.
        return visibility.visible_to(request.user, super().get_queryset(request))

    def get_object(
        self, request: HttpRequest, object_id: str, from_field: str | None = None
    ) -> Activity | None:
        activity = super().get_object(request, object_id, from_field)
        if activity is not None:
            subjects.link_subjects([activity], request, self.admin_site)
        return activity

    @admin.display(description=_("description"))
    def description_text(self, obj: Activity) -> str:
        """Show the description as a value is shown, saying its length if cut."""
        return activity_value(Text.of(obj.description))

    @admin.display(description=_("subject"))
    def subject_link(self, obj: Activity) -> str:
        """Link to the subject's change page, where it still exists."""
        label = subjects.subject_label(obj)
        url = subjects.subject_url(obj)
        if url is None:
            return label
        return format_html('<a href="{}">{}</a>', url, label)

    @admin.display(description=_("batch"))
    def batch_link(self, obj: Activity) -> str:
        """Link to every activity of the same request, command or transaction."""
        if obj.batch is None:
            return ""
        url = reverse(
            f"{self.admin_site.name}:dash_activity_log_activity_changelist",
            current_app=self.admin_site.name,
        )
        return format_html('<a href="{}?batch={}">{}</a>', url, obj.batch, obj.batch)

    @admin.display(description=_("changes"))
    def properties_table(self, obj: Activity) -> SafeString:
        """Show an update as old → new per field, anything else as values."""
        subject_type = obj.subject_type
        model = None if subject_type is None else subject_type.model_class()
        return render_to_string(
            "dash_activity_log/properties.html",
            {"readable": readable(obj.properties, model)},
        )
