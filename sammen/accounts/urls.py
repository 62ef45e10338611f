"""Staff sign-in and staff accounts, under /personale/."""

from django.contrib.auth import views as auth_views
from django.urls import path
from django.utils.translation import gettext_lazy as _

from sammen.accounts import oidc, views

app_name = "accounts"

urlpatterns = [
    path("log-ind/", views.StaffLoginView.as_view(), name="login"),
    path("log-ud/", auth_views.LogoutView.as_view(), name="logout"),
    path(_("login/code/"), views.verify, name="verify"),
    path(_("login/authenticator/"), views.enrol, name="enrol"),
    path(_("login/recovery-codes/"), views.recovery_codes, name="recovery_codes"),
    path(_("invitation/<str:token>/"), views.invitation, name="invitation"),
    path(_("account/"), views.account, name="account"),
    path(_("account/recovery-codes/"), views.recovery_codes_new, name="recovery_codes_new"),
    path(_("users/"), views.user_list, name="user_list"),
    path(_("users/invite/"), views.user_invite, name="user_invite"),
    path(_("users/<int:pk>/"), views.user_edit, name="user_edit"),
    path(_("users/<int:pk>/deactivate/"), views.user_deactivate, name="user_deactivate"),
    path(_("users/<int:pk>/reactivate/"), views.user_reactivate, name="user_reactivate"),
    path(
        _("users/<int:pk>/two-factor-reset/"),
        views.user_second_factor_reset,
        name="user_second_factor_reset",
    ),
    path(
        _("users/<int:pk>/invitation/"),
        views.user_invitation_resend,
        name="user_invitation_resend",
    ),
    # Single sign-on: fixed paths, so the provider needs only one registered redirect URI; both
    # answer 404 unless OIDC is configured.
    path("oidc/start/", oidc.OIDCStartView.as_view(), name="oidc_start"),
    path("oidc/callback/", oidc.OIDCCallbackView.as_view(), name="oidc_callback"),
]
