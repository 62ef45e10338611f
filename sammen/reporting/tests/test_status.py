"""The steering group's pages of the status report: who may open them, the home and a year, a
task's status form, the tasks and the targets. Every bad input is answered with a message on the
field, the typed text kept and nothing saved; the pages run a fixed number of queries."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from django.utils import translation

from sammen.accounts.models import Role, RoleAssignment
from sammen.accounts.testing import verified_login
from sammen.core.tests.factories import UserFactory, department
from sammen.reporting import indicators, services
from sammen.reporting.models import (
    AnnualReport,
    Financing,
    StatusEntry,
    Target,
    Task,
    TrafficLight,
)
from sammen.reporting.tests.test_services import entry

pytestmark = pytest.mark.django_db

LAST_YEAR = services.current_year() - 1


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def person(role: str | None):
    user = UserFactory(departments=[department("TMF")])
    if role == "consultant":
        RoleAssignment.objects.create(user=user, role=Role.CONSULTANT, department=department("TMF"))
    elif role is not None:
        RoleAssignment.objects.create(user=user, role=getattr(Role, role.upper()))
    return user


@pytest.fixture
def steering(client):
    user = person("steering")
    verified_login(client, user)
    return user


# --- who may open the pages ----------------------------------------------------------------------

PAGES = {
    "index": lambda: reverse("reporting:index"),
    "year": lambda: reverse("reporting:year", args=[LAST_YEAR]),
    "entry": lambda: reverse("reporting:entry", args=[LAST_YEAR, "campaign"]),
    "tasks": lambda: reverse("reporting:tasks"),
    "targets": lambda: reverse("reporting:targets", args=[LAST_YEAR]),
}
# who → the answer on every page; "login" is a redirect to the login page.
EXPECTED = {
    "anonymous": "login",
    "staff": 403,
    "consultant": 403,
    "steering": 200,
    "coordinator": 200,
    "administrator": 200,
}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("who", EXPECTED)
def test_the_pages_answer_each_role(client, page, who):
    if who != "anonymous":
        verified_login(client, person(None if who == "staff" else who))
    response = client.get(PAGES[page]())
    if EXPECTED[who] == "login":
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]
    else:
        assert response.status_code == EXPECTED[who]


@pytest.mark.parametrize("page", ["entry", "tasks", "targets"])
def test_department_staff_cannot_post_either(client, page):
    verified_login(client, person(None))
    assert client.post(PAGES[page](), {}).status_code == 403
    assert not StatusEntry.objects.exists()


def test_unknown_years_and_tasks_are_a_404(client, steering):
    assert client.get(reverse("reporting:year", args=[1999])).status_code == 404
    assert client.get(reverse("reporting:targets", args=[3000])).status_code == 404
    assert client.get(
        f"{reverse('reporting:year', args=[LAST_YEAR])}no-such-task/"
    ).status_code == (404)


# --- the home and a year -------------------------------------------------------------------------


def test_the_home_suggests_last_year_and_the_selector_opens_a_year(client, steering):
    response = client.get(reverse("reporting:index"))
    assert response.status_code == 200
    assert response.context["form"]["year"].value() == LAST_YEAR
    assert [s.year for s in response.context["summaries"]] == [LAST_YEAR + 1, LAST_YEAR]
    response = client.get(reverse("reporting:index"), {"year": LAST_YEAR})
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:year", args=[LAST_YEAR])


def test_the_home_suggests_this_year_once_last_years_report_is_generated(client, steering):
    AnnualReport.objects.create(year=LAST_YEAR, snapshot={})
    response = client.get(reverse("reporting:index"))
    assert response.context["form"]["year"].value() == LAST_YEAR + 1


def test_a_year_not_in_the_selector_is_refused_with_a_message(client, steering):
    response = client.get(reverse("reporting:index"), {"year": "abc"})
    assert response.status_code == 400
    assert "Choose one of the years in the list." in response.text


def test_the_year_shows_each_task_with_its_light_in_words_and_the_financing(client, steering):
    entry(
        "campaign",
        LAST_YEAR,
        traffic_light="yellow",
        status_text="Kampagnen kørte på 60 søjler.",
        financing=Financing.REQUESTED,
        financing_need_dkk=350_000,
        decisions_pending="Videreførelse af kampagnen?",
    )
    entry(
        "conference",
        LAST_YEAR,
        financing=Financing.GRANTED,
        financing_need_dkk=1_250_000,
    )
    with translation.override("da"):
        response = client.get(reverse("reporting:year", args=[LAST_YEAR]))
        at_risk = str(TrafficLight.YELLOW.label)
        links = [
            reverse("reporting:entry", args=[LAST_YEAR, key]) for key in ("conference", "ideas")
        ]
    text = response.text
    assert response.status_code == 200
    assert f'<span class="badge badge-warning">{at_risk}</span>' in text
    assert "Kampagnen kørte på 60 søjler." in text
    assert "350.000 kr." in text and "1.250.000 kr." in text
    assert "Videreførelse af kampagnen?" in text
    overview = response.context["overview"]
    assert (overview.requested_dkk, overview.granted_dkk) == (350_000, 1_250_000)
    # The internal tasks come first, then the external ones.
    assert text.index('id="task-conference"') < text.index('id="external-heading"')
    assert text.index('id="external-heading"') < text.index('id="task-campaign"')
    assert all(link in text for link in links)


def test_the_year_names_the_light_in_text_never_by_colour_alone(client, steering):
    entry("ideas", LAST_YEAR, traffic_light="red")
    response = client.get(reverse("reporting:year", args=[LAST_YEAR]))
    assert '<span class="badge badge-error">Off track</span>' in response.text
    assert response.text.count('<span class="badge badge-info">No status yet</span>') == 5


def test_the_year_links_to_the_report_page(client, steering):
    url = reverse("reporting:report_prepare", args=[LAST_YEAR])
    assert f'href="{url}"' in client.get(reverse("reporting:year", args=[LAST_YEAR])).text


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_home_and_the_year_run_a_fixed_number_of_queries(client, steering):
    index, year = reverse("reporting:index"), reverse("reporting:year", args=[LAST_YEAR])
    small = (_queries(client, index), _queries(client, year))
    keys = [task.key for task in Task.objects.all()]
    for offset in range(8):
        for key in keys:
            entry(key, LAST_YEAR - offset, updated_by=UserFactory())
        AnnualReport.objects.create(year=LAST_YEAR - offset, snapshot={})
    for item in indicators.registered():
        Target.objects.create(
            indicator=item.key, year=LAST_YEAR, direction="at_least", value=Decimal(1)
        )
    assert (_queries(client, index), _queries(client, year)) == small


# --- a task's status -----------------------------------------------------------------------------

GOOD = {
    "traffic_light": "yellow",
    "status_text": "Kampagnen kørte i uge 36–39 på 60 plakatsøjler.",
    "activities": "Plakater med kortlinks.",
    "results": "Flest besøg ved stationer.",
    "narrative": "Kampagnen når ud, men ikke jævnt.",
    "financing": "requested",
    "financing_need_dkk": "350.000 kr.",
    "decisions_pending": "Videreførelse i næste år.",
}


def _entry_url(key: str = "campaign") -> str:
    return reverse("reporting:entry", args=[LAST_YEAR, key])


def test_the_first_save_creates_the_entry_with_who_saved_it(client, steering):
    response = client.post(_entry_url(), GOOD)
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:year", args=[LAST_YEAR])
    saved = StatusEntry.objects.get(task__key="campaign", year=LAST_YEAR)
    assert saved.financing_need_dkk == 350_000
    assert saved.updated_by == steering
    assert saved.status_text == GOOD["status_text"]


def test_saving_again_updates_the_same_entry(client, steering):
    entry("campaign", LAST_YEAR, status_text="Old text")
    form = client.get(_entry_url()).context["form"]
    assert form["status_text"].value() == "Old text"
    assert client.post(_entry_url(), {**GOOD, "financing_need_dkk": "1.250.000"}).status_code == 302
    saved = StatusEntry.objects.get(task__key="campaign", year=LAST_YEAR)
    assert (saved.status_text, saved.financing_need_dkk) == (GOOD["status_text"], 1_250_000)
    assert StatusEntry.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"financing": "requested", "financing_need_dkk": ""},
            "financing_need_dkk",
            "Enter the amount when the financing is requested or granted.",
        ),
        (
            {"financing": "granted", "financing_need_dkk": "  "},
            "financing_need_dkk",
            "Enter the amount when the financing is requested or granted.",
        ),
        (
            {"financing_need_dkk": "1250,50"},
            "financing_need_dkk",
            "Enter the amount in whole kroner, without øre.",
        ),
        ({"financing_need_dkk": "-5000"}, "financing_need_dkk", "The amount cannot be negative."),
        (
            {"financing_need_dkk": "mange penge"},
            "financing_need_dkk",
            "Enter the amount as a number of kroner, for example 350.000.",
        ),
        ({"financing_need_dkk": "99999999999"}, "financing_need_dkk", "The amount is too large."),
        (
            {"financing": "not_needed", "financing_need_dkk": "350.000"},
            "financing_need_dkk",
            "Leave the amount empty when no extra financing is needed",
        ),
        ({"status_text": ""}, "status_text", "This field is required."),
        ({"traffic_light": "blue"}, "traffic_light", "Select a valid choice."),
    ],
)
def test_bad_input_is_refused_with_a_message_and_the_typed_text_kept(
    client, steering, changes, field, message
):
    data = {**GOOD, "narrative": "Min tekst om æøå, som ikke må gå tabt.", **changes}
    response = client.post(_entry_url(), data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in errors[field][0]
    assert message.split("<")[0] in response.text.replace("&#x27;", "'")
    assert "Min tekst om æøå, som ikke må gå tabt." in response.text
    if changes.get("financing_need_dkk", "").strip():
        assert f'value="{changes["financing_need_dkk"]}"' in response.text
    assert not StatusEntry.objects.exists()


def test_a_bad_edit_leaves_the_saved_entry_as_it_was(client, steering):
    entry("campaign", LAST_YEAR, status_text="Saved text")
    response = client.post(_entry_url(), {**GOOD, "financing_need_dkk": "-1"})
    assert response.status_code == 400
    assert StatusEntry.objects.get().status_text == "Saved text"


def test_the_form_can_start_from_last_years_text_without_saving(client, steering):
    entry(
        "campaign",
        LAST_YEAR,
        traffic_light="red",
        status_text="Last year's status",
        narrative="Last year's paragraph",
        financing=Financing.GRANTED,
        financing_need_dkk=300_000,
    )
    this_year = LAST_YEAR + 1
    url = reverse("reporting:entry", args=[this_year, "campaign"])
    response = client.get(url)
    assert f"Start from the texts of {LAST_YEAR}" in response.text
    assert response.context["form"]["status_text"].value() in (None, "")
    response = client.get(url, {"start_from": LAST_YEAR})
    form = response.context["form"]
    assert form["status_text"].value() == "Last year's status"
    assert form["narrative"].value() == "Last year's paragraph"
    assert form["traffic_light"].value() == "red"
    assert form["financing_need_dkk"].value() in (None, "")  # money is decided year by year
    assert "Nothing is saved until you press" in response.text
    assert not StatusEntry.objects.filter(year=this_year).exists()
    # Once this year has an entry, the button is gone and the entry is what the form shows.
    entry("campaign", this_year, status_text="This year's status")
    response = client.get(url, {"start_from": LAST_YEAR})
    assert "Start from the texts" not in response.text
    assert response.context["form"]["status_text"].value() == "This year's status"


def test_every_field_has_a_help_text(client, steering):
    form = client.get(_entry_url()).context["form"]
    assert all(field.help_text for field in form.fields.values())


# --- the tasks -----------------------------------------------------------------------------------


def _tasks_data(**changes) -> dict[str, str]:
    data = {}
    for task in Task.objects.all():
        prefix = f"task-{task.key}"
        data.update(
            {
                f"{prefix}-title_da": task.title_da,
                f"{prefix}-title_en": task.title_en,
                f"{prefix}-description_da": task.description_da,
                f"{prefix}-description_en": task.description_en,
            }
        )
        if task.is_active:
            data[f"{prefix}-is_active"] = "on"
    data.update(changes)
    return data


def test_the_tasks_are_edited_and_the_key_stays(client, steering):
    response = client.get(reverse("reporting:tasks"))
    assert response.status_code == 200
    assert "<code>entry-point</code>" in response.text
    data = _tasks_data(**{"task-campaign-title_da": "Plakatkampagnen", "task-campaign-key": "x"})
    del data["task-knowledge-is_active"]
    assert client.post(reverse("reporting:tasks"), data).status_code == 302
    campaign = Task.objects.get(number=5)
    assert (campaign.key, campaign.title_da) == ("campaign", "Plakatkampagnen")
    assert not Task.objects.get(key="knowledge").is_active


def test_a_task_without_a_title_is_refused_and_no_task_is_changed(client, steering):
    data = _tasks_data(
        **{"task-conference-title_da": "Konferencen 2.0", "task-campaign-title_da": ""}
    )
    response = client.post(reverse("reporting:tasks"), data)
    assert response.status_code == 400
    assert "This field is required." in response.text
    assert 'value="Konferencen 2.0"' in response.text
    assert Task.objects.get(key="conference").title_da != "Konferencen 2.0"


# --- targets -------------------------------------------------------------------------------------


def _indicator(unit: str) -> indicators.Indicator:
    return next(item for item in indicators.registered() if item.unit == unit)


def _field(item: indicators.Indicator, name: str) -> str:
    from sammen.reporting.forms import _row_prefix

    return f"{_row_prefix(item.key)}-{name}"


def _targets_data(values: dict[str, str]) -> dict[str, str]:
    data = {}
    for item in indicators.registered():
        data[_field(item, "direction")] = services.default_direction(item)
        data[_field(item, "value")] = values.get(item.key, "")
    return data


def test_the_targets_page_lists_every_registered_indicator_by_task(client, steering):
    response = client.get(reverse("reporting:targets", args=[LAST_YEAR]))
    assert response.status_code == 200
    sheet = response.context["sheet"]
    assert [form.indicator.key for form in sheet.forms] == [
        item.key for item in indicators.registered()
    ]
    for item in indicators.registered():
        assert str(item.label) in response.text


def test_a_share_is_typed_in_percent_and_stored_as_a_fraction(client, steering):
    share, count = _indicator("share"), _indicator("count")
    data = _targets_data({share.key: "90", count.key: "0"})
    data[_field(count, "direction")] = "at_most"
    response = client.post(reverse("reporting:targets", args=[LAST_YEAR]), data)
    assert response.status_code == 302
    assert Target.objects.get(indicator=share.key).value == Decimal("0.90")
    stored = Target.objects.get(indicator=count.key)
    assert (stored.direction, stored.value) == ("at_most", Decimal(0))
    assert Target.objects.count() == 2
    form = client.get(reverse("reporting:targets", args=[LAST_YEAR])).context["sheet"].forms
    shown = {f.indicator.key: f["value"].value() for f in form}
    assert shown[share.key] == "90"


def test_an_emptied_target_is_removed(client, steering):
    share = _indicator("share")
    Target.objects.create(indicator=share.key, year=LAST_YEAR, direction="at_least", value=0.9)
    client.post(reverse("reporting:targets", args=[LAST_YEAR]), _targets_data({}))
    assert not Target.objects.exists()


@pytest.mark.parametrize(
    ("unit", "typed", "message"),
    [
        ("share", "150", "Enter a percentage from 0 to 100."),
        ("share", "-3", "Enter a percentage from 0 to 100."),
        ("share", "92,555", "Enter the percentage with at most two decimals, for example 92.5."),
        ("count", "-1", "The target cannot be negative."),
        ("count", "2,5", "Enter a whole number."),
        ("days", "-2", "The target cannot be negative."),
        ("score", "7", "Enter an average score from 1 to 5."),
        ("count", "mange", "Enter a number, for example 90."),
    ],
)
def test_a_bad_target_is_refused_and_no_target_saved(client, steering, unit, typed, message):
    bad, good = _indicator(unit), _indicator("share" if unit != "share" else "count")
    data = _targets_data({bad.key: typed, good.key: "1"})
    response = client.post(reverse("reporting:targets", args=[LAST_YEAR]), data)
    assert response.status_code == 400
    assert f"{bad.label}: {message}" in response.text
    assert f'value="{typed}"' in response.text
    assert "No targets were saved." in response.text
    assert not Target.objects.exists()


def test_last_years_targets_can_be_copied_into_the_form(client, steering):
    share = _indicator("share")
    Target.objects.create(
        indicator=share.key, year=LAST_YEAR - 1, direction="at_least", value=Decimal("0.8")
    )
    url = reverse("reporting:targets", args=[LAST_YEAR])
    assert f"Copy the targets of {LAST_YEAR - 1}" in client.get(url).text
    response = client.get(url, {"copy": "1"})
    shown = {f.indicator.key: f["value"].value() for f in response.context["sheet"].forms}
    assert shown[share.key] == "80"
    assert not Target.objects.filter(year=LAST_YEAR).exists()  # copied into the form, not saved


def test_the_other_pages_of_a_year_are_not_taken_for_a_task(client, steering):
    """A task's page is <year>/<task key>/; the report and the targets share that shape."""
    assert resolve(reverse("reporting:targets", args=[2025])).url_name == "targets"
    assert resolve(reverse("reporting:report_prepare", args=[2025])).url_name == "report_prepare"
    assert resolve(reverse("reporting:entry", args=[2025, "campaign"])).url_name == "entry"
    assert client.get(reverse("reporting:year", args=[2025]) + "no-such-task/").status_code == 404
