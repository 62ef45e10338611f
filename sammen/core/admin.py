from django.contrib import admin

from sammen.core.models import (
    Department,
    District,
    LocalCommittee,
    MailLog,
    Principle,
    Topic,
    Venue,
)


@admin.register(Principle)
class PrincipleAdmin(admin.ModelAdmin):
    list_display = ("number", "name_da", "name_en")


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("abbreviation", "name_da", "name_en")


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ("number", "name")
    exclude = ("geometry",)


@admin.register(LocalCommittee)
class LocalCommitteeAdmin(admin.ModelAdmin):
    list_display = ("name", "district")


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("name_da", "name_en", "slug")


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "address", "district")
    list_filter = ("kind", "district")
    search_fields = ("name", "address")


@admin.register(MailLog)
class MailLogAdmin(admin.ModelAdmin):
    """The mail log: what was sent to whom and how it went; bodies are never stored."""

    list_display = ("created_at", "template", "recipient", "status", "attempts", "sent_at")
    list_filter = ("status", "template")
    search_fields = ("recipient", "key")
    readonly_fields = [f.name for f in MailLog._meta.fields]

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False
