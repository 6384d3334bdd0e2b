"""Test settings: the real ones, with a fast password hasher."""

from pnsr.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
