"""On first sign-in, the demo's coordinator sees whole-list offers: several people with up to three peer
workers each, the fit as bands in words, and mismatches listed (the Danish demo organisation's smaller
recovery team is checked in ``tests/demo/test_service_demo.py``)."""

from __future__ import annotations

import pytest

from peerwork.accounts.models import User
from peerwork.demo.seed import seed_demo
from tests.conftest import verified_client


@pytest.mark.django_db
def test_demo_coordinators_see_offers_for_the_whole_waiting_list():
    seed_demo()
    for username, words in (("coordinator", ("Offers for the whole waiting list", " fit<", "Speaks against")),):
        body = verified_client(User.objects.get(username=username)).get("/service/waiting-list/").content.decode()
        for word in words:
            assert word in body, (username, word)
        assert body.count('name="peer_worker"') >= 4, username
        assert body.count('class="offer"') >= 2, username
