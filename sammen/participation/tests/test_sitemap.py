"""/sitemap.xml lists every public page of the catalogue in Danish and English."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from sammen.core.models import District
from sammen.participation.models import Channel
from sammen.participation.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def danish():
    with translation.override("da"):
        yield


def _sitemap(client) -> str:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    return response.content.decode()


def _both(name: str, **kwargs) -> tuple[str, str]:
    with translation.override("da"):
        da = reverse(name, kwargs=kwargs or None)
    with translation.override("en"):
        en = reverse(name, kwargs=kwargs or None)
    return da, en


def test_the_sitemap_lists_published_opportunities_in_both_languages(client):
    published = OpportunityFactory()
    closed_with_outcome = OpportunityFactory(
        deadline=timezone.now() - timedelta(days=3),
        outcome="Vedtaget.",
        outcome_published_at=timezone.now(),
    )
    draft = OpportunityFactory(is_published=False)
    withdrawn = OpportunityFactory(withdrawn_at=timezone.now())
    xml = _sitemap(client)
    for opportunity in (published, closed_with_outcome):
        da, en = _both("participation:opportunity_detail", pk=opportunity.pk, slug=opportunity.slug)
        assert f"<loc>http://testserver{da}</loc>" in xml
        assert f"<loc>http://testserver{en}</loc>" in xml
        assert f'hreflang="en" href="http://testserver{en}"' in xml
        assert f'hreflang="da" href="http://testserver{da}"' in xml
    for hidden in (draft, withdrawn):
        assert f"/{hidden.pk}/{hidden.slug}/" not in xml


def test_the_sitemap_lists_the_list_pages_channels_and_districts(client):
    xml = _sitemap(client)
    for name in (
        "participation:home",
        "participation:opportunity_list",
        "participation:channel_list",
        "participation:district_list",
    ):
        for path in _both(name):
            assert f"<loc>http://testserver{path}</loc>" in xml, path
    for channel in Channel.objects.all():
        for path in _both("participation:channel_detail", slug=channel.slug):
            assert f"<loc>http://testserver{path}</loc>" in xml
    for district in District.objects.all():
        for path in _both("participation:district_detail", slug=district.slug):
            assert f"<loc>http://testserver{path}</loc>" in xml
    assert 'hreflang="x-default"' in xml


def test_opportunities_carry_their_last_change(client):
    OpportunityFactory()
    assert re.search(r"<lastmod>\d{4}-\d{2}-\d{2}</lastmod>", _sitemap(client))


def test_the_sitemap_runs_the_same_number_of_queries_with_5_and_50_opportunities(client):
    for _ in range(5):
        OpportunityFactory()
    _sitemap(client)
    with CaptureQueriesContext(connection) as with_5:
        _sitemap(client)
    for _ in range(45):
        OpportunityFactory()
    with CaptureQueriesContext(connection) as with_50:
        _sitemap(client)
    assert len(with_50) == len(with_5)
