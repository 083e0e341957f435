"""Note access worked out in the query agrees with the rule written in Python (``access.can_read``)."""

from __future__ import annotations

from datetime import time, timedelta

from django.utils import timezone

from peerwork.core.roles import Role
from peerwork.service import access, selectors, services
from peerwork.service.models import Contact
from tests.conftest import actor_for

from .conftest import add_peer_worker, contact_values, engage, new_referral


def test_readable_in_the_query_matches_can_read_for_every_reader(svc):
    senior = svc.users[Role.SENIOR_PEER_WORKER]
    guided = add_peer_worker(svc, "pw-guided", guided_by=senior)
    other = svc.users[Role.PEER_WORKER]  # reports to the coordinator
    day = timezone.localdate() - timedelta(days=3)
    engagements = {}
    for k, (author, name) in enumerate([(guided, "Kari"), (other, "Ola")]):
        engagement = engage(svc, new_referral(svc, name), author)
        engagements[author.pk] = engagement
        for h, visibility in enumerate(["private", "coordinator"]):
            services.contacts.add_contact(
                actor_for(author, svc.org),
                engagement_id=engagement.pk,
                **contact_values(day, time(9 + 2 * h + k, 0), note=f"{name} {visibility}", note_visibility=visibility),
            )
    readers = [svc.actor(Role.COORDINATOR), actor_for(senior, svc.org), actor_for(guided, svc.org)]
    readers.append(actor_for(other, svc.org))
    for reader in readers:
        rows = Contact.objects.annotate(readable=access.readable(reader, "peer_worker_id", "note_visibility"))
        assert len(rows) == 4
        for c in rows:
            assert c.readable is access.can_read(reader, c.peer_worker_id, c.note_visibility), (reader.roles, c.note)
    # The senior reads the coordinator-visible note of the peer worker they guide, not the private one.
    page = selectors.engagement(actor_for(senior, svc.org), engagements[guided.pk].pk)
    assert sorted((c.note, c.note_readable) for c in page.contacts) == [("", False), ("Kari coordinator", True)]
