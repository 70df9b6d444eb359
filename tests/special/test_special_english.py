"""The new pages read in English once switched (only data stays Chinese)."""

from django.urls import reverse

from tests.special.factories import make_deputy_report, make_relatives_report
from tests.test_i18n import CJK, page_text, switch_to_english, without


def test_special_pages_in_english(cast, login):
    relatives = make_relatives_report(cast.people["staff"])
    deputy = make_deputy_report(cast.people["staff"], cast.case)
    client = login(cast.staff)
    switch_to_english(client)
    person = cast.people["staff"]
    data = (person.name, person.court.name, person.department.name, "简体中文", cast.case.number)
    for url in (
        reverse("special:list"),
        reverse("special:new", args=["relatives"]),
        reverse("special:new", args=["deputy_concern"]),
    ):
        html = client.get(url).content.decode()
        assert not CJK.findall(without(page_text(html), *data)), url
    html = client.get(reverse("special:detail", args=[relatives.id])).content.decode()
    assert "Spouse" in html and "Report on close relatives practising law" in html
    html = client.get(reverse("special:detail", args=[deputy.id])).content.decode()
    assert "congress deputy" in html and "City" in html
