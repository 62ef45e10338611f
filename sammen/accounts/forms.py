"""Forms for logging in, the second factor, invitations and managing staff accounts."""

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from sammen.accounts.models import Role, User
from sammen.core.models import Department


class LoginForm(AuthenticationForm):
    """Username or e-mail address, and password (sammen.accounts.backends)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The username or e-mail address and password do not match an active account. "
            "Check them and try again."
        ),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Username or e-mail address")
        self.fields["username"].max_length = 254
        self.fields["username"].widget.attrs["maxlength"] = 254
        self.fields["username"].widget.attrs["autocomplete"] = "username"


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_(
            "The six-digit code from your authenticator app, or one of your recovery codes."
        ),
        error_messages={"required": _("Enter the code from your authenticator app.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "text",
                "autocapitalize": "off",
                "spellcheck": "false",
                "class": "form-input input-width-s",
            }
        ),
    )


class EnrolForm(forms.Form):
    token = forms.CharField(
        label=_("Code from the app"),
        max_length=10,
        help_text=_("The six digits the app shows now."),
        error_messages={"required": _("Enter the six-digit code the app shows.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "class": "form-input input-width-xs",
            }
        ),
    )

    def clean_token(self) -> str:
        token = "".join(self.cleaned_data["token"].split())
        if not (token.isdigit() and len(token) == 6):
            raise forms.ValidationError(_("The code is six digits, for example 123456."))
        return token


class SetPasswordForm(forms.Form):
    """The invited user's new password, checked by the password validators."""

    password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters; not a common password and not only digits."),
    )
    password2 = forms.CharField(
        label=_("Repeat the password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password2(self) -> str:
        password1 = self.cleaned_data.get("password1")
        password2 = self.cleaned_data["password2"]
        if password1 and password1 != password2:
            raise forms.ValidationError(_("The two passwords are not the same."))
        return password2

    def _post_clean(self) -> None:
        super()._post_clean()
        password = self.cleaned_data.get("password1")
        if password and "password1" not in self._errors:
            try:
                password_validation.validate_password(password, self.user)
            except forms.ValidationError as error:
                self.add_error("password1", error)


CENTRAL_ROLES = [
    (Role.COORDINATOR.value, Role.COORDINATOR.label),
    (Role.STEERING.value, Role.STEERING.label),
    (Role.ADMINISTRATOR.value, Role.ADMINISTRATOR.label),
]


class StaffUserForm(forms.Form):
    """Who a member of staff is and what they may do: used to invite and to change an account."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("The invitation is sent here; it is also how they log in."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    departments = forms.ModelMultipleChoiceField(
        label=_("Departments"),
        queryset=Department.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Department staff publish and edit their departments' opportunities."),
    )
    consultant_for = forms.ModelMultipleChoiceField(
        label=_("Dialogue consultant for"),
        queryset=Department.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A department's dialogue consultant is also one of its staff."),
    )
    roles = forms.MultipleChoiceField(
        label=_("Central roles"),
        choices=CENTRAL_ROLES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Administrators manage staff accounts and reference data."),
    )

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        taken = User.objects.filter(email__iexact=email) | User.objects.filter(
            username__iexact=email
        )
        if self.user is not None:
            taken = taken.exclude(pk=self.user.pk)
        if taken.exists():
            raise forms.ValidationError(_("Another account already has this e-mail address."))
        return email
