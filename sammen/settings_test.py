"""Test settings: the production settings with the few overrides a fast, offline suite needs."""

import os

# Tests run with DEBUG off like production, but need a key; set before the settings are read.
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-0123456789abcdefghijkl")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")  # the test client speaks plain HTTP

from sammen.settings import *  # noqa: F403  (the settings under test, then overrides)

# Fast hashing: password strength is not what these tests measure.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Collect e-mails in django.core.mail.outbox instead of sending them.
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
# Run tasks at once, in-process, so a test sees their effect; the database backend has its own tests.
TASKS = {
    "default": {
        "BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default", "email"],
    }
}
# No manifest: tests do not run collectstatic.
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
# Never reach the real hearing portal from a test.
OS2AGORA_BASE_URL = "http://os2agora.invalid"
# Serve static files from the apps' folders (no collectstatic in tests; the browser tests need them).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
