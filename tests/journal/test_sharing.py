"""Sharing a child's journal: caregivers invited by email, and read-only links for a clinician."""

import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from journal import sharing
from journal.models import Caregiver, CaregiverInvite, CheckIn, ShareLink, ShareView
from tests.factories import UserFactory
from tests.journal import factories
from tests.support.queries import count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner_client(client):
    child = factories.child(label="Our eldest")
    client.force_login(factories.owner_of(child))
    client.child = child
    return client


def invite(client, email="grandma@example.org", role="can_log", django_capture_on_commit_callbacks=None):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("journal:invite_caregiver", args=[client.child.pk]), {"email": email, "role": role})


def link_in(message) -> str:
    return re.search(r"http://testserver(/journal/invites/\S+/)", message.body).group(1)


# --- Caregivers ----------------------------------------------------------------------------------


def test_an_invited_caregiver_accepts_and_logs_a_check_in(owner_client, django_capture_on_commit_callbacks):
    response = invite(owner_client, django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)

    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["grandma@example.org"] and "Our eldest" not in message.subject + message.body
    grandma = UserFactory(email="grandma@example.org")
    other = Client()
    other.force_login(grandma)
    assert "Accept the invitation" in other.get(link_in(message)).content.decode()

    response = other.post(link_in(message))

    assert response["Location"] == reverse("journal:child", args=[owner_client.child.pk])
    assert Caregiver.objects.get(child=owner_client.child, user=grandma).role == "can_log"
    other.post(
        reverse("journal:check_in", args=[owner_client.child.pk]), {"date": str(factories.days_ago(0)), "tics": "2"}
    )
    assert CheckIn.objects.get(child=owner_client.child).logged_by == grandma


def test_the_invitation_email_goes_once_however_often_its_task_runs(owner_client, django_capture_on_commit_callbacks):
    invite(owner_client, django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)

    assert sharing.send_caregiver_invite(invite_id=CaregiverInvite.objects.get().pk) is False
    assert len(mail.outbox) == 1


def test_an_invitation_works_once_and_not_after_it_is_withdrawn_or_expired(
    owner_client, django_capture_on_commit_callbacks
):
    invite(owner_client, django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)
    url = link_in(mail.outbox[0])
    first, second = Client(), Client()
    first.force_login(UserFactory())
    second.force_login(UserFactory())
    first.post(url)

    assert second.get(url).status_code == 404

    invite(owner_client, "uncle@example.org", django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)
    withdrawn = CaregiverInvite.objects.get(accepted_at__isnull=True)
    owner_client.post(reverse("journal:revoke_invite", args=[owner_client.child.pk, withdrawn.pk]))
    assert second.get(link_in(mail.outbox[1])).status_code == 404

    invite(owner_client, "aunt@example.org", django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)
    CaregiverInvite.objects.filter(accepted_at__isnull=True, revoked_at__isnull=True).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert second.get(link_in(mail.outbox[2])).status_code == 404
    assert Caregiver.objects.filter(child=owner_client.child).count() == 2  # the owner and the first


def test_an_invitation_to_view_lets_them_read_but_not_log(owner_client, django_capture_on_commit_callbacks):
    invite(owner_client, role="can_view", django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)
    viewer = Client()
    viewer.force_login(UserFactory())
    viewer.post(link_in(mail.outbox[0]))

    assert viewer.get(reverse("journal:child", args=[owner_client.child.pk])).status_code == 200
    assert viewer.get(reverse("journal:check_in", args=[owner_client.child.pk])).status_code == 403


def test_the_owner_removes_a_caregiver_and_a_caregiver_may_leave(owner_client):
    child = owner_client.child
    helper, leaver = factories.add_caregiver(child), factories.add_caregiver(child)
    removed = Caregiver.objects.get(child=child, user=helper)

    owner_client.post(reverse("journal:remove_caregiver", args=[child.pk, removed.pk]))
    leaving = Client()
    leaving.force_login(leaver)
    leaving.post(reverse("journal:leave", args=[child.pk]))

    assert set(Caregiver.objects.filter(child=child).values_list("role", flat=True)) == {"owner"}
    assert leaving.get(reverse("journal:child", args=[child.pk])).status_code == 404


def test_only_the_owner_manages_sharing(owner_client):
    co_parent = Client()
    co_parent.force_login(factories.add_caregiver(owner_client.child))
    stranger = Client()
    stranger.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = reverse("journal:sharing", args=[owner_client.child.pk])

    assert co_parent.get(page).status_code == 403 and stranger.get(page).status_code == 404
    assert owner_client.get(page).status_code == 200


def test_an_invitation_form_with_a_problem_keeps_the_input(owner_client):
    response = owner_client.post(
        reverse("journal:invite_caregiver", args=[owner_client.child.pk]),
        {"email": "not-an-address", "role": "can_log"},
    )
    assert 'value="not-an-address"' in response.content.decode() and not CaregiverInvite.objects.exists()


# --- Clinician links -----------------------------------------------------------------------------


def make_link(owner_client, days=14, recipient="Dr Rivera"):
    owner_client.post(
        reverse("journal:create_share_link", args=[owner_client.child.pk]), {"days": days, "recipient": recipient}
    )
    link = ShareLink.objects.latest("id")  # (the recipient is encrypted: it cannot be filtered on)
    return link, reverse("journal:shared", args=[sharing.share_token(link)])


def test_a_clinician_opens_the_link_without_an_account_and_the_parent_sees_it(owner_client):
    factories.check_in(owner_client.child, note="Rage episode", ratings={"irritability": 9})
    link, url = make_link(owner_client)
    clinician = Client()

    response = clinician.get(url)

    html = response.content.decode()
    assert response.status_code == 200 and "Symptom journal: summary for the clinician" in html
    assert "no-store" in response["Cache-Control"] and response["Referrer-Policy"] == "no-referrer"
    assert "noindex" in response["X-Robots-Tag"]
    assert clinician.head(url).status_code == 200  # a HEAD (a link preview) is not an opening
    assert ShareView.objects.filter(link=link).count() == 1
    sharing_page = owner_client.get(reverse("journal:sharing", args=[owner_client.child.pk])).content.decode()
    assert "For Dr Rivera" in sharing_page and "Opened 1 time:" in sharing_page
    assert clinician.get(reverse("journal:shared_pdf", args=[sharing.share_token(link)]))["Content-Type"] == (
        "application/pdf"
    )


def test_a_revoked_expired_or_forged_link_answers_404(owner_client):
    link, url = make_link(owner_client)
    owner_client.post(reverse("journal:revoke_share_link", args=[owner_client.child.pk, link.pk]))
    assert Client().get(url).status_code == 404

    other, other_url = make_link(owner_client, recipient="Dr Okafor")
    ShareLink.objects.filter(pk=other.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert Client().get(other_url).status_code == 404

    assert Client().get(other_url.replace("shared/", "shared/x")).status_code == 404
    assert not ShareView.objects.exists()


def test_a_link_lasts_thirty_days_at_most(owner_client):
    with pytest.raises(sharing.ValidationError):
        sharing.create_share_link(user=factories.owner_of(owner_client.child), child=owner_client.child, days=31)
    response = owner_client.post(reverse("journal:create_share_link", args=[owner_client.child.pk]), {"days": 60})
    assert "Select a valid choice" in response.content.decode() and not ShareLink.objects.exists()


def test_ended_invitations_and_links_are_deleted_after_thirty_days(owner_client):
    link, _ = make_link(owner_client)
    ShareView.objects.create(link=link)
    ShareLink.objects.update(expires_at=timezone.now() - datetime.timedelta(days=31))

    assert sharing.tidy() >= 1
    assert not ShareLink.objects.exists() and not ShareView.objects.exists()


def test_the_sharing_page_costs_the_same_for_one_link_or_many(owner_client):
    make_link(owner_client, recipient="First")
    page = reverse("journal:sharing", args=[owner_client.child.pk])
    small = count_queries(owner_client, page)
    for n in range(8):
        link, _ = make_link(owner_client, recipient=f"Doctor {n}")
        ShareView.objects.bulk_create(ShareView(link=link) for _ in range(3))
        factories.add_caregiver(owner_client.child)
    assert count_queries(owner_client, page) == small == 6


def test_the_page_cache_never_keeps_a_clinicians_page(owner_client, settings):
    settings.PAGE_CACHE_ENABLED = True
    _, url = make_link(owner_client)
    clinician = Client()

    first, second = clinician.get(url), clinician.get(url)

    assert first.status_code == second.status_code == 200
    assert "X-Page-Cache" not in second and ShareView.objects.count() == 2
