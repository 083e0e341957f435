import pytest


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Test people sign in with a fast hash: these tests are about privacy rules, not password strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
