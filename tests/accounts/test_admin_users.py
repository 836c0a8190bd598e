"""Staff manage residents' portal fields in the Wagtail admin."""

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db


def test_admin_creates_a_user_with_portal_fields(client, tree, superuser):
    client.force_login(superuser)
    page = client.get("/en/admin/users/new/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="display_name"' in html and 'name="community"' in html
    response = client.post(
        "/en/admin/users/new/",
        {
            "email": "office@example.com",
            "display_name": "村委会办公室",
            "community": tree.a.pk,
            "residence_status": "registered",
            "password1": "A-long-enough-passw0rd",
            "password2": "A-long-enough-passw0rd",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = get_user_model().objects.get(email="office@example.com")
    assert user.display_name == "村委会办公室"
    assert user.community_id == tree.a.pk


def test_admin_edits_a_residents_community(client, tree, superuser, resident):
    client.force_login(superuser)
    url = f"/en/admin/users/edit/{resident.pk}/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "email": resident.email,
            "display_name": "新名字",
            "community": tree.b.pk,
            "residence_status": "non_registered",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.community_id == tree.b.pk
    assert resident.display_name == "新名字"
