"""The survey after an event: who may answer, once only, the page, and the summaries per event
and per series (free text for the organisers only)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from sammen.accounts.testing import verified_login
from sammen.core.tests.factories import UserFactory, department, principle
from sammen.events import feedback
from sammen.events import registration as services
from sammen.events.models import Feedback, Registration, Series
from sammen.events.tests.factories import EventFactory

pytestmark = pytest.mark.django_db
Status = Registration.Status


@pytest.fixture(autouse=True)
def english():
    """Assertions on English text: the Danish catalogue is merged from the PO fragment later."""
    with translation.override("en"):
        yield


def held(days_ago: int = 2, **kwargs):
    """An event that took place `days_ago` days ago."""
    starts = timezone.now() - timedelta(days=days_ago)
    return EventFactory(starts_at=starts, ends_at=starts + timedelta(hours=2), **kwargs)


def attended(event, *, checked_in: bool = True, abbreviation: str = "TMF") -> Registration:
    """A member of staff who registered a week before and (by default) was checked in."""
    user = UserFactory(departments=[department(abbreviation)])
    registration = services.register_staff(
        event=event, user=user, now=event.starts_at - timedelta(days=7)
    )
    if checked_in and registration.status == Status.CONFIRMED:
        registration = services.check_in(
            registration=registration, by=event.organiser, now=event.starts_at
        )
    return registration


def answer(registration: Registration, rating: int, **kwargs) -> Feedback:
    return feedback.give_feedback(registration=registration, rating=rating, **kwargs)


# --- The rules -------------------------------------------------------------------------------


def test_a_participant_answers_once():
    registration = attended(held())
    first = answer(registration, 4, will_use="Borgerpanelet", principle=principle(3))
    assert first.event_id == registration.event_id
    with pytest.raises(feedback.AlreadyAnswered):
        answer(registration, 1)
    assert Feedback.objects.get().rating == 4


def test_the_survey_opens_when_the_event_begins():
    event = EventFactory()  # in two weeks
    registration = services.register_staff(event=event, user=UserFactory())
    assert feedback.feedback_refusal(registration) == "The survey opens when the event begins."
    with pytest.raises(ValidationError):
        answer(registration, 5)
    assert not Feedback.objects.exists()


def test_only_a_seat_holder_may_answer():
    event = held(capacity=1)
    attended(event)
    waiting = attended(event)
    assert waiting.status == Status.WAITLISTED
    assert "had a seat" in feedback.feedback_refusal(waiting)


def test_a_cancelled_event_has_no_survey():
    event = held()
    registration = attended(event)
    event.cancelled_at = event.starts_at - timedelta(days=1)
    event.save()
    registration.refresh_from_db()
    assert "cancelled" in feedback.feedback_refusal(registration)


def test_a_confirmed_participant_not_checked_in_may_answer():
    registration = attended(held(), checked_in=False)
    assert feedback.feedback_refusal(registration) is None


def test_the_rating_must_be_1_to_5():
    with pytest.raises(ValidationError):
        answer(attended(held()), 6)


# --- The page --------------------------------------------------------------------------------


def test_the_page_asks_four_questions_with_the_rating_in_a_fieldset():
    registration = attended(held(title="Konferencen 2026"))
    response = Client().get(reverse("events:feedback", args=[registration.token]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Konferencen 2026" in content
    assert "<fieldset" in content and "<legend" in content
    assert content.count('name="rating"') == 5
    assert content.count('name="principle"') == 6  # five principles and "none in particular"
    assert 'name="will_use"' in content and 'name="comment"' in content
    assert response["Cache-Control"] == "private, no-store"
    assert response["Referrer-Policy"] == "same-origin"


def test_answering_records_it_and_the_second_visit_thanks():
    registration = attended(held())
    url = reverse("events:feedback", args=[registration.token])
    response = Client().post(
        url,
        {"rating": "5", "will_use": "Metoden med vandreudstilling", "principle": principle(2).pk},
    )
    assert response.status_code == 302 and response["Location"] == url
    saved = Feedback.objects.get()
    assert (saved.rating, saved.principle, saved.comment) == (5, principle(2), "")
    assert saved.will_use == "Metoden med vandreudstilling"

    again = Client().get(url)
    assert "you have already answered" in again.content.decode()
    post_again = Client().post(url, {"rating": "1"})
    assert post_again.status_code == 200
    assert Feedback.objects.get().rating == 5


def test_a_missing_rating_is_named_and_the_text_is_kept():
    registration = attended(held())
    response = Client().post(
        reverse("events:feedback", args=[registration.token]),
        {"will_use": "Tidlig dialog med lokaludvalget", "comment": "Godt møde"},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Choose how the event was overall." in content
    assert 'href="#id_rating"' in content
    assert "Tidlig dialog med lokaludvalget" in content and "Godt møde" in content
    assert not Feedback.objects.exists()


def test_before_the_event_the_page_says_so():
    registration = services.register_staff(event=EventFactory(), user=UserFactory())
    response = Client().get(reverse("events:feedback", args=[registration.token]))
    assert "The survey opens when the event begins." in response.content.decode()
    assert (
        Client()
        .post(reverse("events:feedback", args=[registration.token]), {"rating": "5"})
        .status_code
        == 200
    )
    assert not Feedback.objects.exists()


def test_an_unknown_token_is_a_neutral_404():
    response = Client().get(reverse("events:feedback", args=["not-a-token"]))
    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()


# --- Summaries -------------------------------------------------------------------------------


def test_event_summary_counts_averages_and_lists_principles_and_will_use():
    event = held()
    answer(attended(event), 5, principle=principle(3), will_use="Borgerpanel")
    answer(attended(event), 4, principle=principle(3))
    answer(attended(event), 4, principle=principle(1), comment="For lidt tid til spørgsmål")
    answer(attended(event), 2)
    attended(held())  # another event's participant, no answer

    summary = feedback.event_feedback_summary(event)

    assert summary.count == 4
    assert summary.average == 3.75
    assert summary.distribution == {1: 0, 2: 1, 3: 0, 4: 2, 5: 1}
    assert [(p.principle.number, p.count) for p in summary.principles] == [(1, 1), (3, 2)]
    assert summary.will_use == ("Borgerpanel",)
    assert summary.distribution_rows[0] == (5, 1, 25)
    assert feedback.event_feedback_comments(event) == ["For lidt tid til spørgsmål"]
    assert feedback.answered_count(event) == {"asked": 4, "answered": 4}


def test_an_event_without_answers():
    summary = feedback.event_feedback_summary(held())
    assert (summary.count, summary.average, summary.principles) == (0, None, ())
    assert summary.distribution == {1: 0, 2: 0, 3: 0, 4: 0, 5: 0}


def test_series_summary_per_edition_and_overall():
    series = Series.objects.create(
        title="Morgenboostere", slug="morgenboostere", kind="morning_meeting"
    )
    spring = held(days_ago=200, series=series, principle=principle(1))
    autumn = held(days_ago=20, series=series, principle=principle(2))
    held(days_ago=10, series=series, cancelled_at=timezone.now() - timedelta(days=30))
    EventFactory(series=series)  # still to come
    answer(attended(spring), 5, principle=principle(1))
    answer(attended(spring), 3)
    answer(attended(autumn), 2, comment="Not shown here")

    summary = feedback.series_feedback_summary(series)

    assert [(e.event, e.count, e.average) for e in summary.editions] == [
        (spring, 2, 4.0),
        (autumn, 1, 2.0),
    ]
    assert summary.overall.count == 3
    assert summary.overall.average == 3.33
    assert summary.overall.will_use == ()
    assert [(p.principle.number, p.count) for p in summary.overall.principles] == [(1, 1)]


def test_series_summary_costs_the_same_queries_for_few_and_many_editions():
    def queries(n: int) -> int:
        series = Series.objects.create(
            title=f"Serie {n}", slug=f"serie-{n}", kind="morning_meeting"
        )
        for i in range(n):
            answer(attended(held(days_ago=i + 2, series=series)), 4)
        with CaptureQueriesContext(connection) as context:
            feedback.series_feedback_summary(series)
        return len(context)

    assert queries(2) == queries(8)


# --- The staff pages -------------------------------------------------------------------------


def test_the_organiser_sees_numbers_and_free_text():
    organiser = UserFactory()
    event = held(organiser=organiser)
    answer(attended(event), 4, will_use="Kortlægning af interessenter", comment="Mere kaffe")
    client = verified_login(Client(), organiser)
    response = client.get(reverse("events_staff:feedback_summary", args=[event.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Kortlægning af interessenter" in content and "Mere kaffe" in content
    assert "4.0" in content


def test_other_staff_see_the_series_in_numbers_but_no_free_text():
    series = Series.objects.create(title="Morgenboostere", slug="mb", kind="morning_meeting")
    event = held(series=series, principle=principle(4))
    answer(attended(event), 3, will_use="Hemmelig plan", comment="Mere kaffe")
    colleague = verified_login(Client(), UserFactory())

    response = colleague.get(reverse("events_staff:series_feedback", args=["mb"]))

    content = response.content.decode()
    assert response.status_code == 200
    assert event.title in content and "3.0" in content
    assert "Hemmelig plan" not in content and "Mere kaffe" not in content
    # Not the organiser: no link to the event's page with free text.
    assert reverse("events_staff:feedback_summary", args=[event.pk]) not in content
    assert (
        colleague.get(reverse("events_staff:feedback_summary", args=[event.pk])).status_code == 403
    )


def test_the_series_page_needs_a_login_and_knows_its_series():
    assert Client().get(reverse("events_staff:series_feedback", args=["x"])).status_code == 302
    colleague = verified_login(Client(), UserFactory())
    assert colleague.get(reverse("events_staff:series_feedback", args=["x"])).status_code == 404
