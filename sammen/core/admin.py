from django.contrib import admin

from sammen.core.models import Department, District, LocalCommittee, Principle, Topic, Venue


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
