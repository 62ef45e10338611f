"""Staff sign-in (password, then the second factor), invitations, and managing staff accounts.

Order of a login: password (or single sign-on) → the code from the authenticator app or a
recovery code (or, the first time, enrolling the app) → the page asked for. Failed passwords and
failed codes both count towards the lockout (django-axes, per account and per IP address).
"""

from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import LoginView, redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from sammen.accounts import services, twofactor
from sammen.accounts.forms import EnrolForm, LoginForm, SetPasswordForm, StaffUserForm, TokenForm
from sammen.accounts.models import Role, RoleAssignment, User
from sammen.accounts.oidc import oidc_enabled
from sammen.accounts.permissions import has_permission, permission_required

PAGE_SIZE = 50
_RECOVERY_SESSION_KEY = "accounts_new_recovery_codes"
_PASSWORD_BACKEND = "sammen.accounts.backends.UsernameOrEmailBackend"  # noqa: S105 (a class path)


def _render(request: HttpRequest, template: str, context: dict[str, Any], **kwargs: Any):
    # Never indexed: the header comes from the middleware, the meta tag from here.
    can_manage_users = has_permission(request.user, "accounts.manage_users")
    return render(
        request,
        template,
        {"noindex": True, "can_manage_users": can_manage_users, **context},
        **kwargs,
    )


def _next_url(request: HttpRequest) -> str:
    """Where to go after signing in: a safe `next` on this site, or the staff start page."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


def _with_next(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def _signed_in(request: HttpRequest, user: Any) -> None:
    """The whole login succeeded: forget the failures counted against the account."""
    AxesProxyHandler.reset_attempts(username=user.get_username())


def _code_failed(request: HttpRequest) -> HttpResponse | None:
    """Count a wrong code like a wrong password; at the limit, log out and show the lockout page."""
    credentials = {"username": request.user.get_username()}
    user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    if getattr(request, "axes_locked_out", False):
        auth_logout(request)
        return lockout(request, None, credentials)
    return None


def _is_locked(request: HttpRequest) -> bool:
    return AxesProxyHandler.is_locked(request, {"username": request.user.get_username()})


# --- logging in ---------------------------------------------------------------------------------


class StaffLoginView(LoginView):
    """Username or e-mail address and password; then the second factor (unless off in the demo)."""

    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "noindex": True, "sso": oidc_enabled()}

    def form_valid(self, form: LoginForm) -> HttpResponse:
        user = form.get_user()
        auth_login(self.request, user)
        next_url = self.get_success_url()
        if not twofactor.two_factor_required():
            _signed_in(self.request, user)
            return HttpResponseRedirect(next_url)
        return HttpResponseRedirect(_with_next("accounts:verify", next_url))


@sensitive_post_parameters("token")
@never_cache
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """The second step: a code from the authenticator app or a recovery code."""
    next_url = _next_url(request)
    if not request.user.is_authenticated:
        return redirect_to_login(next_url)
    if twofactor.second_factor_satisfied(request):
        return HttpResponseRedirect(next_url)
    if not twofactor.has_authenticator(request.user):
        return HttpResponseRedirect(_with_next("accounts:enrol", next_url))
    if _is_locked(request):
        credentials = {"username": request.user.get_username()}
        auth_logout(request)
        return lockout(request, None, credentials)
    form = TokenForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        if twofactor.token_verify(request=request, token=form.cleaned_data["token"]):
            _signed_in(request, request.user)
            if request.user.otp_device.name == twofactor.RECOVERY_DEVICE_NAME:
                left = twofactor.recovery_codes_left(request.user)
                messages.warning(
                    request,
                    gettext(
                        "You used a recovery code; each works only once. You have %(left)d "
                        "left. Make new ones on your account page."
                    )
                    % {"left": left},
                )
            return HttpResponseRedirect(next_url)
        locked = _code_failed(request)
        if locked is not None:
            return locked
        form.add_error("token", gettext("The code is not right. Check it and try again."))
    return _render(request, "accounts/verify.html", {"form": form, "next": next_url})


@sensitive_post_parameters("token")
@never_cache
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    """The first login: add the authenticator app (QR code or the secret typed in), confirm a code."""
    next_url = _next_url(request)
    if not request.user.is_authenticated:
        return redirect_to_login(next_url)
    if twofactor.has_authenticator(request.user):
        # Replacing an app needs the old one (or an administrator's reset): never a password alone.
        return HttpResponseRedirect(_with_next("accounts:verify", next_url))
    if _is_locked(request):
        credentials = {"username": request.user.get_username()}
        auth_logout(request)
        return lockout(request, None, credentials)
    device = twofactor.pending_authenticator(request.user)
    form = EnrolForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            codes = twofactor.authenticator_confirm(
                request=request, device=device, token=form.cleaned_data["token"]
            )
            _signed_in(request, request.user)
            request.session[_RECOVERY_SESSION_KEY] = codes
            return HttpResponseRedirect(_with_next("accounts:recovery_codes", next_url))
        locked = _code_failed(request)
        if locked is not None:
            return locked
        form.add_error(
            "token",
            gettext("The code is not right. Check that the phone's clock is right and try again."),
        )
    return _render(
        request,
        "accounts/enrol.html",
        {
            "form": form,
            "next": next_url,
            "qr_code": twofactor.qr_code_svg(device),
            "secret": twofactor.secret_for_display(device),
        },
    )


@never_cache
@require_http_methods(["GET"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """The new recovery codes, shown once: they are taken out of the session as they are shown."""
    next_url = _next_url(request)
    codes = request.session.pop(_RECOVERY_SESSION_KEY, None)
    if not request.user.is_authenticated or not codes:
        return HttpResponseRedirect(next_url)
    return _render(request, "accounts/recovery_codes.html", {"codes": codes, "next": next_url})


def lockout(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """django-axes' lockout response (AXES_LOCKOUT_CALLABLE): a page in the design system, in the
    visitor's language, saying how long to wait — with 429, never a bare 403."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    response = _render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response


# --- invitations --------------------------------------------------------------------------------


@sensitive_post_parameters("password1", "password2")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the invitation: choose a password, then enrol the authenticator app."""
    user = services.invitation_user(token)
    if user is None:
        return _render(request, "accounts/invitation_invalid.html", {}, status=410)
    form = SetPasswordForm(user, request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        services.invitation_accept(user=user, password=form.cleaned_data["password1"])
        auth_login(request, user, backend=_PASSWORD_BACKEND)
        start = reverse(settings.LOGIN_REDIRECT_URL)
        if not twofactor.two_factor_required():
            return HttpResponseRedirect(start)
        return HttpResponseRedirect(_with_next("accounts:enrol", start))
    return _render(request, "accounts/invitation.html", {"form": form, "invited": user})


# --- one's own account --------------------------------------------------------------------------


@permission_required("accounts.view_own_account")
@require_http_methods(["GET"])
def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    return _render(
        request,
        "accounts/account.html",
        {
            "departments": user.departments.all(),
            "roles": RoleAssignment.objects.filter(user=user).select_related("department"),
            "has_authenticator": twofactor.has_authenticator(user),
            "recovery_codes_left": twofactor.recovery_codes_left(user),
        },
    )


@permission_required("accounts.view_own_account")
@require_POST
def recovery_codes_new(request: HttpRequest) -> HttpResponse:
    request.session[_RECOVERY_SESSION_KEY] = twofactor.recovery_codes_replace(user=request.user)
    return HttpResponseRedirect(_with_next("accounts:recovery_codes", reverse("accounts:account")))


# --- managing staff accounts (administrators) ---------------------------------------------------


def _users_with_details():
    return User.objects.prefetch_related(
        "departments",
        Prefetch(
            "role_assignments",
            queryset=RoleAssignment.objects.select_related("department").order_by("role"),
        ),
    ).annotate(
        has_authenticator=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
    )


@permission_required("accounts.manage_users")
@require_http_methods(["GET"])
def user_list(request: HttpRequest) -> HttpResponse:
    users = _users_with_details().order_by("-is_active", "first_name", "last_name", "pk")
    page_obj = Paginator(users, PAGE_SIZE).get_page(request.GET.get("page"))
    return _render(request, "accounts/user_list.html", {"page_obj": page_obj})


def _form_data(form: StaffUserForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "first_name": data["first_name"],
        "last_name": data["last_name"],
        "email": data["email"],
        "departments": list(data["departments"]),
        "consultant_for": list(data["consultant_for"]),
        "roles": list(data["roles"]),
    }


def _add_errors(form: StaffUserForm, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@permission_required("accounts.manage_users")
@require_http_methods(["GET", "POST"])
def user_invite(request: HttpRequest) -> HttpResponse:
    form = StaffUserForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            user = services.user_invite(by=request.user, **_form_data(form))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                gettext("The invitation is sent to %(email)s. The link works for %(days)d days.")
                % {"email": user.email, "days": settings.STAFF_INVITATION_DAYS},
            )
            return redirect("accounts:user_edit", pk=user.pk)
    return _render(request, "accounts/user_form.html", {"form": form, "staff_user": None})


@permission_required("accounts.manage_users")
@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    staff_user = get_object_or_404(_users_with_details(), pk=pk)
    held = set(roles_of_any(staff_user))
    initial = {
        "first_name": staff_user.first_name,
        "last_name": staff_user.last_name,
        "email": staff_user.email,
        "departments": list(staff_user.departments.all()),
        "consultant_for": [
            a.department for a in staff_user.role_assignments.all() if a.role == Role.CONSULTANT
        ],
        "roles": [r for r, d in held if d is None],
    }
    form = StaffUserForm(
        request.POST if request.method == "POST" else None, initial=initial, user=staff_user
    )
    if form.is_bound and form.is_valid():
        try:
            services.user_update(user=staff_user, **_form_data(form))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, gettext("The account is saved."))
            return redirect("accounts:user_edit", pk=staff_user.pk)
    return _render(
        request,
        "accounts/user_form.html",
        {
            "form": form,
            "staff_user": staff_user,
            "pending": services.is_pending(staff_user),
            "is_self": staff_user.pk == request.user.pk,
        },
    )


def roles_of_any(user: Any) -> list[tuple[str, int | None]]:
    """Roles of any account, active or not (roles_of answers only for active users)."""
    return [(a.role, a.department_id) for a in user.role_assignments.all()]


@permission_required("accounts.manage_users")
@require_POST
def user_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    staff_user = get_object_or_404(User, pk=pk)
    if staff_user.pk == request.user.pk:
        messages.error(request, gettext("You cannot deactivate your own account."))
    else:
        services.user_deactivate(user=staff_user, by=request.user)
        messages.success(request, gettext("The account is deactivated: it has no access any more."))
    return redirect("accounts:user_edit", pk=staff_user.pk)


@permission_required("accounts.manage_users")
@require_POST
def user_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    staff_user = get_object_or_404(User, pk=pk)
    services.user_reactivate(user=staff_user)
    messages.success(request, gettext("The account is active again."))
    return redirect("accounts:user_edit", pk=staff_user.pk)


@permission_required("accounts.manage_users")
@require_POST
def user_second_factor_reset(request: HttpRequest, pk: int) -> HttpResponse:
    staff_user = get_object_or_404(User, pk=pk)
    services.user_second_factor_reset(user=staff_user)
    messages.success(
        request, gettext("Two-factor is reset: the next login sets up a new authenticator app.")
    )
    return redirect("accounts:user_edit", pk=staff_user.pk)


@permission_required("accounts.manage_users")
@require_POST
def user_invitation_resend(request: HttpRequest, pk: int) -> HttpResponse:
    staff_user = get_object_or_404(User, pk=pk, is_active=True)
    if not services.is_pending(staff_user):
        messages.error(request, gettext("This account has already been set up."))
    else:
        services.invitation_send(user=staff_user, by=request.user)
        messages.success(
            request, gettext("A new invitation is sent. The earlier link no longer works.")
        )
    return redirect("accounts:user_edit", pk=staff_user.pk)
