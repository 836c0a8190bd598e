"""Roles for the permission tests, and the one way the portal admin refuses a request.

The staff fixtures (editors, reviewers, officials, superuser) come from tests/conftest.py;
the legal reviewer from the outcome tests' factories.
"""

from urllib.parse import urlsplit

import pytest
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser

from tests.consultations.outcomes.factories import legal_reviewer  # noqa: F401

ROLES = [
    "anonymous",
    "resident",
    "editor_a",
    "editor_b",
    "reviewer_a",
    "official",
    "legal_reviewer",
    "superuser",
]


@pytest.fixture
def as_role(request, tree):
    """`as_role("editor_a")`: the user playing that role (AnonymousUser for "anonymous")."""

    def user_for(role):
        if role == "anonymous":
            return AnonymousUser()
        return request.getfixturevalue(role)

    return user_for


XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


def assert_admin_refused(response):
    """Wagtail's refusal inside the admin: back to the dashboard with an error message.

    (Scripts sending X-Requested-With get a plain 403 instead: see `XHR`.)
    """
    assert response.status_code == 302, response.status_code
    assert urlsplit(response["Location"]).path in ("/admin/", "/en/admin/"), response["Location"]
    errors = [m for m in messages.get_messages(response.wsgi_request) if m.level == messages.ERROR]
    assert errors, "the refusal says why"
