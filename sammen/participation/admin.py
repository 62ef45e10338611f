"""Admin for Få indflydelse.

Opportunities are written on the staff pages (/personale/), where every change goes through the
services and lands in the history; the admin shows them read-only (and may delete), so no change
escapes the audit trail. The history itself is read-only. Subscriptions hold e-mail addresses:
the admin never lists, searches or exports them (a search would put the address in the URL and
the logs); a single subscription can be opened by id and deleted on request.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from sammen.participation.models import Channel, Opportunity, OpportunityChange, Subscription


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ("name_da", "name_en", "slug", "order")
    list_editable = ("order",)
    search_fields = ("name_da", "name_en", "slug")
    prepopulated_fields = {"slug": ("name_da",)}


class OpportunityChangeInline(admin.TabularInline):
    model = OpportunityChange
    fields = ("at", "by", "action", "changes")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Opportunity)
class OpportunityAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "channel",
        "is_published",
        "source",
        "closes_at",
        "outcome_published_at",
        "staff_link",
    )
    list_filter = ("is_published", "source", "channel", "departments")
    search_fields = ("title", "summary", "external_id")
    date_hierarchy = "closes_at"
    list_select_related = ("channel",)
    exclude = ("search_stems",)
    inlines = (OpportunityChangeInline,)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("edit"))
    def staff_link(self, obj: Opportunity) -> str:
        url = reverse("participation_staff:opportunity_edit", kwargs={"pk": obj.pk})
        return format_html('<a href="{}">{}</a>', url, _("Edit on the staff pages"))


@admin.register(OpportunityChange)
class OpportunityChangeAdmin(admin.ModelAdmin):
    list_display = ("at", "opportunity", "action", "by")
    list_filter = ("action",)
    search_fields = ("opportunity__title",)
    list_select_related = ("opportunity", "by")
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    # No e-mail column, no search and no export: an administrator cannot collect the addresses.
    list_display = ("__str__", "language", "created_at", "confirmed_at", "last_digest_at")
    list_filter = ("language", ("confirmed_at", admin.EmptyFieldListFilter))
    fields = (
        "email",
        "language",
        "districts",
        "topics",
        "channels",
        "created_at",
        "confirmed_at",
        "last_digest_at",
    )
    readonly_fields = fields
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
