from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Pages switched to nb/da leave that language active in the test thread; start each test in English."""
    with translation.override("en"):
        yield
