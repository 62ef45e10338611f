"""Admin for ideas: read-only.

Every change to an idea goes through `sammen.ideas.services` from the staff case page, where it
lands in the timeline; the admin never changes one, so nothing escapes the timeline or the state
table. The citizen's personal data (name, e-mail, phone) and the private tracking token are not
shown here at all: the case page shows the contact details only after logging who looked
(`access_log`), and the admin must not be a way around that log. Searches are by reference and
title only, so no e-mail address ends up in a URL or a log.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from sammen.ideas.models import ErasureRecord, Handover, Idea, PersonalDataAccess, TimelineEntry

PERSONAL_FIELDS = ("contact_name", "email", "phone", "tracking_token")


class ReadOnlyAdmin(admin.ModelAdmin):
    """View only: no adding, changing or deleting from the admin."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class TimelineEntryInline(admin.TabularInline):
    model = TimelineEntry
    fields = ("at", "by", "kind", "from_state", "to_state", "public_message", "internal_note")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class HandoverInline(TimelineEntryInline):
    model = Handover
    fields = (
        "from_department",
        "to_department",
        "note",
        "requested_at",
        "due_at",
        "status",
        "decided_at",
    )
    readonly_fields = fields


@admin.register(Idea)
class IdeaAdmin(ReadOnlyAdmin):
    list_display = (
        "reference",
        "title",
        "state",
        "outcome",
        "lead_department",
        "confirmed_at",
        "answer_due",
        "case_link",
    )
    list_filter = ("state", "outcome", "lead_department", "submitter_kind")
    search_fields = ("reference", "title")
    date_hierarchy = "created_at"
    list_select_related = ("lead_department",)
    exclude = (*PERSONAL_FIELDS, "search_stems")
    inlines = (HandoverInline, TimelineEntryInline)

    @admin.display(description=_("case page"))
    def case_link(self, obj: Idea) -> str:
        if obj.reference is None:
            return "–"
        return format_html(
            '<a href="{}">{}</a>', reverse("ideas_staff:detail", args=[obj.pk]), _("Open")
        )


@admin.register(Handover)
class HandoverAdmin(ReadOnlyAdmin):
    list_display = ("idea", "from_department", "to_department", "status", "requested_at", "due_at")
    list_filter = ("status", "to_department")
    list_select_related = ("idea", "from_department", "to_department")
    search_fields = ("idea__reference",)


@admin.register(ErasureRecord)
class ErasureRecordAdmin(ReadOnlyAdmin):
    list_display = ("reference", "reason", "at", "attachments_deleted", "followers_deleted")
    list_filter = ("reason",)
    search_fields = ("reference",)
    date_hierarchy = "at"


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ReadOnlyAdmin):
    list_display = ("at", "user", "idea", "purpose")
    list_filter = ("purpose",)
    list_select_related = ("user", "idea")
    search_fields = ("idea__reference", "user__username")
    date_hierarchy = "at"
