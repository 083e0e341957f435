"""Demo data for consent, sharing and retention: generated people only, deterministic through ``rng``.

In the Norwegian demo organisation:

* a person Ola (``peerworker``) supports, who agreed to share how their housing goal is going with the
  outreach team *Oppsøkende team Nord* — the demo ``professional`` is a member and sees that goal and its
  ratings on *Shared with me*, and nothing else; the person also agreed to use in evaluation;
* another person Ola supports, who shared all their care-team goals with the same team and withdrew it
  two weeks ago: nothing of theirs is shown;
* a person whose engagement closed fifteen months ago: due for anonymisation under the organisation's
  twelve-month retention policy (``peerwork retention run --dry-run`` lists them);
* all three agreed to use in evaluation, and so did Ola for himself: an evaluation extract holds the three
  (as many as the anonymity threshold) and Ola under a pseudonym, but not the other peer worker.

In the Danish demo organisation, the first FACT team's peer worker (``dk-peerworker1``) agreed to use in
evaluation until the end of next year, and their mentor (``dk-mentor1``) agreed and then withdrew: each finds
their own decision on their consent page.

Consents are recorded through the privacy services, so the audit trail and the access report have
something to show.
"""

from __future__ import annotations

import random
from datetime import time, timedelta

from django.utils import timezone
from faker import Faker

from peerwork.accounts.models import Membership, User
from peerwork.core.actor import Actor
from peerwork.organisations.models import Organisation, Unit
from peerwork.service.models import Contact, Engagement, Goal, GoalRating, ServiceUser, Visibility

from . import services
from .models import Consent, RetentionPolicy

OUTREACH = "Oppsøkende team Nord"


def _actor(user: User, org: Organisation) -> Actor:
    memberships = list(Membership.objects.filter(user=user, organisation=org).select_related("organisation"))
    actor = Actor.from_memberships(user, memberships, org.pk, via="demo data")
    assert actor is not None
    return actor


def _person(org: Organisation, fake: Faker, rng: random.Random, **extra: object) -> ServiceUser:
    return ServiceUser.objects.create(
        organisation=org,
        chosen_name=f"{fake.first_name()} {fake.last_name()}",
        phone=f"+47 4{rng.randint(1000000, 9999999)}",
        birth_year=rng.randint(1965, 2000),
        municipality="Fjordby",
        district=rng.choice(["Nord", "Sentrum", "Havna"]),
        languages=["nb"],
        **extra,
    )


def _engagement(
    org: Organisation,
    person: ServiceUser,
    peer_worker: User,
    started_days_ago: int,
    closed_days_ago: int | None = None,
) -> Engagement:
    today = timezone.localdate()
    started = today - timedelta(days=started_days_ago)
    closed = today - timedelta(days=closed_days_ago) if closed_days_ago is not None else None
    return Engagement.objects.create(
        organisation=org,
        service_user=person,
        peer_worker=peer_worker,
        started_on=started,
        planned_end_on=started + timedelta(days=700),
        frequency=Engagement.Frequency.WEEKLY,
        closed_on=closed,
        closure_reason=Engagement.ClosureReason.GOALS_REACHED if closed else "",
        closure_words="Jeg fikk til det jeg ville, og vet hvor jeg kan få hjelp igjen." if closed else "",
    )


def _goal(
    org: Organisation,
    eng: Engagement,
    area: str,
    words: str,
    ratings: list[int],
    visibility: str = Visibility.COORDINATOR,
) -> Goal:
    goal = Goal.objects.create(
        organisation=org,
        service_user=eng.service_user,
        engagement=eng,
        life_area=area,
        words=words,
        visibility=visibility,
        created_by=eng.peer_worker,
    )
    step = max((timezone.localdate() - eng.started_on).days // (len(ratings) + 1), 1)
    for i, rating in enumerate(ratings):
        GoalRating.objects.create(
            organisation=org,
            goal=goal,
            rating=rating,
            recorded_by=eng.peer_worker,
            rated_on=eng.started_on + timedelta(days=step * (i + 1)),
        )
    return goal


def _contacts(org: Organisation, eng: Engagement, rng: random.Random, n: int, notes: list[str]) -> None:
    end = eng.closed_on or timezone.localdate()
    for i in range(n):
        day = eng.started_on + timedelta(days=(end - eng.started_on).days * (i + 1) // (n + 1))
        Contact.objects.create(
            organisation=org,
            engagement=eng,
            peer_worker=eng.peer_worker,
            date=day,
            start_time=time(rng.choice([10, 13, 15]), 0),
            duration_minutes=rng.choice([30, 45, 60, 90]),
            channel=rng.choice(["meeting", "phone", "outdoors"]),
            initiated_by=rng.choice(["person", "peer_worker"]),
            note=notes[i % len(notes)] if notes else "",
        )


def seed_privacy(no: Organisation, dk: Organisation, rng: random.Random) -> None:
    fake = Faker("no_NO")
    fake.seed_instance(rng.randint(0, 10**6))
    ola = User.objects.get(username="peerworker")
    other = User.objects.filter(username="peerworker3").first() or ola
    outreach = Unit.objects.get(organisation=no, name=OUTREACH)
    as_ola = _actor(ola, no)
    today = timezone.localdate()
    RetentionPolicy.objects.get_or_create(organisation=no, defaults={"months_after_last_engagement": 12})

    # 1. Shares the housing goal with the outreach team, and agreed to use in evaluation.
    sharing = _person(no, fake, rng, help_with="Et eget sted å bo", help_areas=["housing", "social"])
    eng = _engagement(no, sharing, ola, started_days_ago=210)
    housing = _goal(no, eng, "housing", "Ha min egen leilighet før vinteren", [2, 3, 5, 6])
    _goal(no, eng, "social", "Gå på kafé med noen uten å bli urolig", [4, 5])
    _contacts(no, eng, rng, 8, ["Så på en leilighet sammen på Nordsida.", "", "Ringte boligkontoret sammen."])
    services.record_consent(
        as_ola,
        sharing.pk,
        purpose=Consent.Purpose.SHARE,
        recipient_unit=outreach.pk,
        goals=Consent.GoalScope.SELECTED,
        goal_ids=[housing.pk],
        given_on=today - timedelta(days=20),
        how_given=Consent.HowGiven.VERBAL,
    )
    services.record_consent(
        as_ola,
        sharing.pk,
        purpose=Consent.Purpose.EVALUATION,
        given_on=today - timedelta(days=20),
        how_given=Consent.HowGiven.WRITTEN,
    )

    # 2. Shared with the same team, then withdrew two weeks ago.
    withdrew = _person(no, fake, rng, help_with="Komme tilbake i jobb", help_areas=["work_education"])
    eng2 = _engagement(no, withdrew, ola, started_days_ago=300)
    _goal(
        no,
        eng2,
        "work_education",
        "Begynne på et arbeidstrening-tilbud",
        [1, 3, 4],
        visibility=Visibility.CARE_TEAM,
    )
    _contacts(no, eng2, rng, 6, [""])
    given = services.record_consent(
        as_ola,
        withdrew.pk,
        purpose=Consent.Purpose.SHARE,
        recipient_unit=outreach.pk,
        goals=Consent.GoalScope.ALL,
        contact_summaries=True,
        given_on=today - timedelta(days=75),
        how_given=Consent.HowGiven.DIGITAL,
    )
    services.withdraw_consent(as_ola, given.pk)
    Consent.objects.filter(pk=given.pk).update(withdrawn_at=timezone.now() - timedelta(days=14))

    # 3. Engagement closed fifteen months ago: due for anonymisation under the twelve-month policy.
    done = _person(no, fake, rng, help_with="Få orden på økonomien", help_areas=["finances"])
    eng3 = _engagement(no, done, other, started_days_ago=900, closed_days_ago=455)
    _goal(no, eng3, "finances", "Betale ned gjelda til inkasso", [2, 5, 8, 10])
    _contacts(no, eng3, rng, 10, ["Gikk gjennom regningene sammen.", ""])

    # 4. The other two agreed to use in evaluation too, and Ola agreed for himself.
    as_coordinator = _actor(User.objects.get(username="coordinator"), no)
    for agreed, days_ago in ((withdrew, 60), (done, 800)):
        services.record_consent(
            as_coordinator,
            agreed.pk,
            purpose=Consent.Purpose.EVALUATION,
            given_on=today - timedelta(days=days_ago),
            how_given=Consent.HowGiven.WRITTEN,
        )
    services.give_own_consent(as_ola)

    # 5. In the Danish organisation the peer workers decide for themselves too: the first FACT team's peer
    #    worker agreed until the end of next year; their mentor agreed once and withdrew it.
    newcomer = User.objects.filter(username="dk-peerworker1").first()
    if newcomer is not None:
        services.give_own_consent(
            _actor(newcomer, dk), valid_until=today.replace(year=today.year + 1, month=12, day=31)
        )
    mentor = User.objects.filter(username="dk-mentor1").first()
    if mentor is not None:
        as_mentor = _actor(mentor, dk)
        services.give_own_consent(as_mentor)
        services.withdraw_own_consent(as_mentor)
