import pytest

from sammen.accounts.testing import verified_login
from sammen.core.tests.factories import UserFactory


@pytest.mark.django_db
def test_verified_login_marks_the_second_factor_as_verified(client, rf):
    user = UserFactory()
    verified_login(client, user)
    response = client.get("/personale/")
    assert response.wsgi_request.user.is_verified()
