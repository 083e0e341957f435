"""The welcome e-mail is a background job: added on the page, sent by the worker through a real SMTP server,
in the new person's stored language, with the organisation, the role and whom to ask."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from peerwork.accounts import services
from peerwork.accounts.models import User
from peerwork.audit.details import Detail
from peerwork.audit.models import AuditEntry
from peerwork.core.roles import Role
from tests.smtp import smtp, subject_of, text_of

__all__ = ["smtp"]

# The worker closes and reopens its database connection between jobs, as in a deployment.
pytestmark = pytest.mark.django_db(transaction=True)


def _run_jobs() -> None:
    call_command("worker", "--batch", "--worker-id", "test-worker")


def test_the_welcome_is_sent_by_the_worker_in_the_persons_language_with_organisation_role_and_contact(world, smtp):
    admin = world.users[Role.ADMINISTRATOR]
    admin.email = "admin@example.invalid"
    admin.save(update_fields=["email"])
    response = world.client(Role.ADMINISTRATOR).post(
        "/account/people/",
        {
            "username": "ingrid-d",
            "first_name": "Ingrid",
            "last_name": "Dahl",
            "email": "ingrid@example.invalid",
            "role": Role.PEER_WORKER,
            "language": "da",
        },
    )
    assert response.status_code == 302
    assert smtp.received == []  # nothing is sent inside the request
    _run_jobs()
    [mail] = smtp.to("ingrid@example.invalid")
    body = text_of(mail)
    with translation.override("da"):
        assert subject_of(mail) == gettext("Your Peerwork account") != "Your Peerwork account"
        role = str(Role.PEER_WORKER.label)
        assert gettext("Choose your password here (the link works once, for three days):") in body
    assert world.org.name in body and role in body
    assert admin.get_full_name() in body and "admin@example.invalid" in body
    link = re.search(r"http://127\.0\.0\.1:8000(/account/password/reset/\S+/)", body)
    assert link, body
    # The link works: the new person chooses a password.
    chooser = Client()
    page = chooser.get(link.group(1), follow=True)
    assert page.status_code == 200 and b"password" in page.content.lower()
    user = User.objects.get(username="ingrid-d")
    assert user.language == "da"
    assert AuditEntry.objects.filter(object_id=str(user.pk), detail=Detail("invitation_mail_sent").stored).exists()
    # Running the worker again sends nothing twice.
    _run_jobs()
    assert len(smtp.to("ingrid@example.invalid")) == 1


def test_a_welcome_job_for_someone_who_already_chose_a_password_sends_nothing(world, smtp):
    person = world.users[Role.PROFESSIONAL]
    assert person.has_usable_password()
    result = services.send_welcome(
        organisation_id=world.org.pk, user_id=person.pk, role=Role.PROFESSIONAL, contact_id=None
    )
    assert result == "password already chosen" and smtp.received == []
