import pytest

URLS = [
    "/implementation/?year=99999",
    "/implementation/?category=%00",
    "/api/v2/pages/?search=%00",
    "/api/v2/pages/find/?html_path=%00",
    "/hearings/registrations/%00/",
    "/%00/",
    "/?q=%00",
    "/search/?q=%00",
    "/implementation/?page=-1",
    "/implementation/?page=99999999999999999999",
    "/api/v2/pages/?limit=-1",
    "/api/v2/pages/?offset=99999999999999999999",
    "/api/v2/pages/?type=%00",
    "/implementation/?year=%ED%A0%80",
    "/?x%00=1",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", URLS)
def test_repro(client, tree, url):
    client.raise_request_exception = False
    r = client.get(url)
    print(url, r.status_code)
    assert r.status_code < 500
