import pytest

from accounts.roles import Role
from tests.factories import UserFactory


@pytest.fixture
def moderator(db):
    return UserFactory(display_name="Harbor Moderator", roles=[Role.MODERATOR])
