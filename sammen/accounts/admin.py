from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sammen.accounts.models import RoleAssignment, User
from sammen.accounts.roles import is_administrator
from sammen.accounts.twofactor import second_factor_satisfied


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ()


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, (_("Departments"), {"fields": ("departments",)}))
    filter_horizontal = ("departments", "groups", "user_permissions")
    list_filter = ("departments", "is_staff", "is_active")
    inlines = (RoleAssignmentInline,)


class StaffAdminSite(admin.AdminSite):
    """The Django admin behind the same sign-in as every staff page: the staff login, a verified
    second factor (like django-otp's OTPAdminSite), and open to administrators."""

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(
            user.is_active
            and (user.is_staff or is_administrator(user))
            and second_factor_satisfied(request)
        )

    def login(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        next_url = request.GET.get("next") or reverse("admin:index")
        if request.user.is_authenticated and not second_factor_satisfied(request):
            return redirect_to_login(next_url, reverse("accounts:verify"))
        if request.user.is_authenticated:
            return super().login(request, extra_context)  # "not authorised" for other staff
        return redirect_to_login(next_url, reverse("accounts:login"))


# The default site is already built by the time this module is imported: switch its class.
admin.site.__class__ = StaffAdminSite
