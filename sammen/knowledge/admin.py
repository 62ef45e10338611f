from django.contrib import admin

from sammen.knowledge.models import (
    Attachment,
    ConsultantProfile,
    ConsultantQuestion,
    Entry,
    EntryVersion,
    ReviewReminder,
)


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    """For fixing data; staff write through the knowledge site, which keeps versions and search."""

    list_display = ["title", "kind", "status", "owner", "review_due", "is_public"]
    list_filter = ["kind", "status", "is_public"]
    search_fields = ["title"]
    raw_id_fields = ["owner", "created_by", "method_used", "opportunities"]
    readonly_fields = ["search_stems", "published_at", "last_reviewed_at"]


@admin.register(EntryVersion)
class EntryVersionAdmin(admin.ModelAdmin):
    list_display = ["entry", "number", "action", "at", "by"]
    raw_id_fields = ["entry", "by"]


@admin.register(ConsultantProfile)
class ConsultantProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "title", "phone"]
    raw_id_fields = ["user"]
    readonly_fields = ["search_stems"]


admin.site.register(Attachment)
admin.site.register(ConsultantQuestion)
admin.site.register(ReviewReminder)
