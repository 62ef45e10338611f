"""Test helpers for staff logins (imported by tests only)."""

from typing import Any

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice


def verified_login(client: Client, user: Any) -> Client:
    """Log the user in with a confirmed second factor, as after a correct TOTP code."""
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, name="test", defaults={"confirmed": True}
    )
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def current_code(device: TOTPDevice) -> str:
    """The code the authenticator app would show now for the device."""
    from django_otp.oath import totp

    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def authenticator_for(user: Any) -> TOTPDevice:
    """A confirmed authenticator app for the user, as after enrolment."""
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
