from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from sammen.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, (_("Departments"), {"fields": ("departments",)}))
    filter_horizontal = ("departments", "groups", "user_permissions")
    list_filter = ("departments", "is_staff", "is_active")
