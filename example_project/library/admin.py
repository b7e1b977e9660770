"""The library in the Django admin, where the example site's editing happens."""

from __future__ import annotations

from typing import ClassVar

from django.contrib import admin
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dash.events import dispatcher
from example_project.library.events import LoanReturned
from example_project.library.models import (
    Author,
    Book,
    Genre,
    Loan,
    Member,
    Publisher,
)


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ("name", "born_on")
    search_fields = ("name",)


@admin.register(Publisher)
class PublisherAdmin(admin.ModelAdmin):
    list_display = ("name", "website")
    search_fields = ("name",)


@admin.register(Genre)
class GenreAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name",)
    prepopulated_fields: ClassVar[dict[str, tuple[str, ...]]] = {"slug": ("name",)}


class LoanInline(admin.TabularInline):
    model = Loan
    extra = 0
    autocomplete_fields = ("member",)
    fields = ("member", "borrowed_at", "due_on", "returned_at")


@admin.register(Book)
class BookAdmin(admin.ModelAdmin):
    list_display = ("title", "author", "publisher", "status", "published_on", "price")
    # Status edited right in the list is the quickest way to make a change
    # that other open admin windows should hear about.
    list_editable = ("status",)
    list_filter = ("status", "genres", "publisher")
    list_select_related = ("author", "publisher")
    search_fields = ("title", "isbn", "author__name")
    autocomplete_fields = ("author", "publisher")
    filter_horizontal = ("genres",)
    readonly_fields = ("updated_at",)
    inlines = (LoanInline,)


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ("name", "email", "joined_on", "membership")
    search_fields = ("name", "email", "membership")
    # A raw id rather than an autocomplete: the editor account may not view
    # users, and the autocomplete would refuse it.
    raw_id_fields = ("user",)
    readonly_fields = ("membership",)


@admin.register(Loan)
class LoanAdmin(admin.ModelAdmin):
    list_display = ("book", "member", "borrowed_at", "due_on", "returned_at", "overdue")
    list_filter = (("returned_at", admin.EmptyFieldListFilter), "due_on")
    list_select_related = ("book", "member")
    search_fields = ("book__title", "member__name")
    autocomplete_fields = ("book", "member")
    date_hierarchy = "borrowed_at"
    actions = ("mark_returned",)

    @admin.action(description=_("Mark selected loans as returned"))
    def mark_returned(self, request: HttpRequest, queryset: QuerySet[Loan]) -> None:
        """Close the open loans and announce each return with ``LoanReturned``."""
        now = timezone.now()
        returned = 0
        for loan in queryset.filter(returned_at__isnull=True).select_related(
            "book", "member"
        ):
            with transaction.atomic():
                loan.returned_at = now
                loan.save(update_fields=["returned_at"])
                loan.book.status = Book.Status.AVAILABLE
                loan.book.save(update_fields=["status"])
                dispatcher.dispatch(
                    LoanReturned(
                        loan_id=loan.pk,
                        book=str(loan.book),
                        member=str(loan.member),
                        late_days=max(0, (now.date() - loan.due_on).days),
                    )
                )
            returned += 1
        self.message_user(request, _("%(count)d loans returned.") % {"count": returned})

    @admin.display(boolean=True, description=_("overdue"))
    def overdue(self, loan: Loan) -> bool:
        return loan.is_overdue
