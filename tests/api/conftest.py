import pytest
from rest_framework.test import APIClient

from api.models import ApiToken


def client_for(user) -> APIClient:
    """An API client sending a new personal token of `user`."""
    client = APIClient()
    _, secret = ApiToken.issue(user, "Tests")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


@pytest.fixture
def api(users):
    """api("poste_agent") → an API client authenticated as that user of `users`."""
    clients = {}

    def get(role: str) -> APIClient:
        if role not in clients:
            clients[role] = client_for(users[role])
        return clients[role]

    return get
