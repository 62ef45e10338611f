"""The yearly report's indicators about events: conferences, morning meetings and solution labs.

Most come from `event_figures`; attendance by department per kind of event (the conference's and
the morning meetings' audiences are reported under different tasks) comes from `kind_attendance`.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from sammen.events.figures import EventFigures, event_figures, kind_attendance
from sammen.events.models import Kind
from sammen.reporting.indicators import (
    TASK_COMPETENCE,
    TASK_CONFERENCE,
    TASK_IDEAS,
    Measurement,
    Period,
    Unit,
    indicator,
)


def _attendance(period: Period, kind: str) -> Measurement:
    """Those checked in at the events of `kind`, by department; no data when no event of the kind
    was held or none of them recorded attendance."""
    row = period.figures(kind_attendance).by_kind[kind]
    if not row.held:
        return Measurement.no_data()
    if not row.with_check_in:
        return Measurement(value=None, note=str(_("Attendance was not recorded.")))
    breakdown = [(d.name, d.attended) for d in row.by_department]
    if row.without_department.attended:
        breakdown.append((str(_("Without a department")), row.without_department.attended))
    return Measurement(
        value=row.attended,
        breakdown=tuple(breakdown),
        note=ngettext("of %(count)s registered", "of %(count)s registered", row.registered)
        % {"count": row.registered},
    )


def _feedback(period: Period, kind: str) -> Measurement:
    """The average feedback score of the events of `kind`; no data when nobody answered."""
    figures: EventFigures = period.figures(event_figures)
    row = next((r for r in figures.feedback_by_kind if r.key == kind), None)
    if row is None or row.average is None:
        return Measurement.no_data()
    return Measurement(
        value=row.average,
        note=ngettext("of %(count)s answer", "of %(count)s answers", row.answers)
        % {"count": row.answers},
    )


def _held(period: Period, kind: str) -> Measurement:
    figures: EventFigures = period.figures(event_figures)
    if not figures.has_data:
        return Measurement.no_data()
    return Measurement(value=figures.held_by_kind[kind])


@indicator(
    "events.conference_attendance",
    task=TASK_CONFERENCE,
    label=_("Conference attendance"),
    description=_(
        "People checked in at the conferences held in the period, by the department they "
        "registered from. The public and staff without a department are counted apart."
    ),
    higher_is_better=True,
    order=10,
)
def conference_attendance(period: Period) -> Measurement:
    return _attendance(period, Kind.CONFERENCE)


@indicator(
    "events.conference_feedback",
    task=TASK_CONFERENCE,
    label=_("Conference feedback score"),
    unit=Unit.SCORE,
    description=_("The average score (1 to 5) the participants gave the conferences held."),
    higher_is_better=True,
    order=20,
)
def conference_feedback(period: Period) -> Measurement:
    return _feedback(period, Kind.CONFERENCE)


@indicator(
    "events.morning_meetings_held",
    task=TASK_COMPETENCE,
    label=_("Morning meetings held"),
    description=_("Morning meetings held in the period (published, not cancelled, over)."),
    higher_is_better=True,
    order=10,
)
def morning_meetings_held(period: Period) -> Measurement:
    return _held(period, Kind.MORNING_MEETING)


@indicator(
    "events.morning_meeting_attendance",
    task=TASK_COMPETENCE,
    label=_("Morning meeting attendance"),
    description=_(
        "People checked in at the morning meetings held in the period, by the department they "
        "registered from."
    ),
    higher_is_better=True,
    order=20,
)
def morning_meeting_attendance(period: Period) -> Measurement:
    return _attendance(period, Kind.MORNING_MEETING)


@indicator(
    "events.morning_meeting_feedback",
    task=TASK_COMPETENCE,
    label=_("Morning meeting feedback score"),
    unit=Unit.SCORE,
    description=_("The average score (1 to 5) the participants gave the morning meetings held."),
    higher_is_better=True,
    order=30,
)
def morning_meeting_feedback(period: Period) -> Measurement:
    return _feedback(period, Kind.MORNING_MEETING)


@indicator(
    "events.solution_labs_held",
    task=TASK_IDEAS,
    label=_("Solution labs held"),
    description=_(
        "Solution labs held in the period, where citizens' ideas are worked on with the "
        "departments."
    ),
    higher_is_better=True,
    order=60,
)
def solution_labs_held(period: Period) -> Measurement:
    return _held(period, Kind.SOLUTION_LAB)
