"""A cheaper Argon2 for the test run only: the same algorithm and hash format as production (so every sign-in
still checks a real Argon2 hash), with the cost lowered, as Django's documentation advises for test suites."""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class LightArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 1024  # KiB
    parallelism = 1
