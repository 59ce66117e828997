"""The read-replica router (portal/db_router.py) against a second real database, "replica"
(tests/settings.py): a forum that exists only there shows where the reads went."""

import pytest
from django.db import transaction
from django.test import Client

from community.models import Forum
from portal import db_router
from tests.factories import UserFactory
from tests.portal.test_settings import PRODUCTION_ENV, run_manage

# Committed for real: inside a test's own transaction every read would stay on the primary, as it should.
pytestmark = pytest.mark.django_db(databases=["default", "replica"], transaction=True)

ON_REPLICA, ON_PRIMARY = "Forum only the replica has", "Forum only the primary has"


@pytest.fixture
def replica_router(settings):
    settings.DATABASE_ROUTERS = [db_router.ROUTER]
    Forum.objects.using("replica").create(name=ON_REPLICA, slug="replica-only", description="x")
    Forum.objects.create(name=ON_PRIMARY, slug="primary-only", description="x")


def forum_index(client: Client) -> str:
    response = client.get("/community/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_read_only_page_reads_from_the_replica(replica_router):
    page = forum_index(Client())
    assert ON_REPLICA in page
    assert ON_PRIMARY not in page


def test_after_a_write_the_same_browser_reads_from_the_primary_for_a_while(replica_router, settings):
    member = UserFactory()
    client = Client()
    client.force_login(member)
    response = client.post("/community/settings/", {})  # any accepted write: here the member's settings form
    assert response.status_code < 400
    sticky = response.cookies[db_router.STICKY_COOKIE]
    assert sticky["max-age"] == settings.REPLICA_STICKY_SECONDS
    assert sticky["httponly"]
    page = forum_index(client)
    assert ON_PRIMARY in page
    assert ON_REPLICA not in page


def test_a_refused_write_does_not_stick(replica_router):
    response = Client().post("/community/", {})  # 405: the index takes no POST
    assert response.status_code == 405
    assert db_router.STICKY_COOKIE not in response.cookies


def test_pages_that_are_not_read_only_read_from_the_primary(replica_router):
    member = UserFactory()
    client = Client()
    client.force_login(member)
    # The new-thread form is a member's page, not in the read-only list: it reads the primary,
    # where the forum exists; on the replica it would be a 404.
    assert client.get("/community/primary-only/new/").status_code == 200


def test_reads_inside_a_transaction_stay_on_the_primary(replica_router):
    router = db_router.ReplicaRouter()
    token = db_router._reads_from_replica.set(True)
    try:
        assert router.db_for_read(Forum) == "replica"
        with transaction.atomic():
            assert router.db_for_read(Forum) == "default"
            assert Forum.objects.filter(slug="primary-only").exists()
        assert router.db_for_write(Forum) == "default"
    finally:
        db_router._reads_from_replica.reset(token)


def test_without_the_router_the_replica_is_never_read():
    Forum.objects.using("replica").create(name=ON_REPLICA, slug="replica-only", description="x")
    Forum.objects.create(name=ON_PRIMARY, slug="primary-only", description="x")
    page = forum_index(Client())
    assert ON_PRIMARY in page and ON_REPLICA not in page


def test_settings_add_the_replica_and_its_router_only_when_asked():
    show = "from django.conf import settings; print(sorted(settings.DATABASES), settings.DATABASE_ROUTERS)"
    without = run_manage("shell", "-c", show, env=PRODUCTION_ENV)
    assert without.stdout.strip().splitlines()[-1] == "['default'] []", without.stderr
    replica = "postgres://reader@replica.internal:5432/portal"
    with_replica = run_manage("shell", "-c", show, env={**PRODUCTION_ENV, "DATABASE_REPLICA_URL": replica})
    assert (
        with_replica.stdout.strip().splitlines()[-1] == "['default', 'replica'] ['portal.db_router.ReplicaRouter']"
    ), with_replica.stderr
