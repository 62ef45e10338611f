"""The yearly report's indicators about citizens' ideas, all read from `idea_figures`.

The ideas are those confirmed in the period; what happened to them is taken as it stands when the
report is made (see `sammen.ideas.figures`). Dead ends come first in the task: the issue requires
that no idea ends without an outcome, so any number above zero needs explaining.
"""

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from sammen.ideas.figures import IdeaFigures, idea_figures
from sammen.ideas.states import Outcome
from sammen.reporting.indicators import TASK_IDEAS, Measurement, Period, Unit, indicator


def _figures(period: Period) -> IdeaFigures | None:
    figures: IdeaFigures = period.figures(idea_figures)
    return figures if figures.has_data else None


def _of(count: int) -> str:
    return ngettext("of %(count)s idea", "of %(count)s ideas", count) % {
        "count": number_format(count, force_grouping=True)
    }


def _yes_share(yes: int, no: int) -> Measurement:
    if not yes + no:
        return Measurement.no_data()
    return Measurement(
        value=yes / (yes + no),
        note=ngettext("of %(count)s answer", "of %(count)s answers", yes + no)
        % {"count": yes + no},
    )


@indicator(
    "ideas.dead_ends",
    task=TASK_IDEAS,
    label=_("Ideas that ended without an outcome"),
    description=_(
        "Must be zero. Ideas closed without an outcome, plus ideas never answered whose answer "
        "deadline passed more than one whole answer period ago."
    ),
    higher_is_better=False,
    order=5,
)
def dead_ends(period: Period) -> Measurement:
    figures = _figures(period)
    if figures is None:
        return Measurement.no_data()
    return Measurement(
        value=figures.dead_ends.total,
        breakdown=(
            (str(_("Closed without an outcome")), figures.dead_ends.closed_without_outcome),
            (str(_("Stalled without an answer")), figures.dead_ends.stalled),
        ),
    )


@indicator(
    "ideas.received",
    task=TASK_IDEAS,
    label=_("Ideas received"),
    description=_("Ideas confirmed by the citizen in the period, spam and duplicates included."),
    order=10,
)
def received(period: Period) -> Measurement:
    figures = _figures(period)
    if figures is None:
        return Measurement.no_data()
    return Measurement(value=figures.received)


@indicator(
    "ideas.answered_within_deadline",
    task=TASK_IDEAS,
    label=_("Ideas answered within the deadline"),
    unit=Unit.SHARE,
    description=_(
        "Of the ideas answered or past their answer deadline, the share whose first answer came "
        "by the deadline. Spam and ideas waiting for the citizen are left out."
    ),
    higher_is_better=True,
    order=20,
)
def answered_within_deadline(period: Period) -> Measurement:
    figures = _figures(period)
    share = figures.answered_within_deadline if figures else None
    if share is None or share.value is None:
        return Measurement.no_data()
    return Measurement(value=share.value, note=_of(share.of))


@indicator(
    "ideas.median_days_to_first_answer",
    task=TASK_IDEAS,
    label=_("Median working days to the first answer"),
    unit=Unit.DAYS,
    description=_(
        "Half the ideas were answered within this many working days of being received, time "
        "spent waiting for the citizen included. Spam is left out."
    ),
    higher_is_better=False,
    order=30,
)
def median_days_to_first_answer(period: Period) -> Measurement:
    figures = _figures(period)
    if figures is None or figures.median_working_days_to_first_answer is None:
        return Measurement.no_data()
    return Measurement(value=figures.median_working_days_to_first_answer)


@indicator(
    "ideas.outcomes",
    task=TASK_IDEAS,
    label=_("Ideas closed with an outcome"),
    description=_("The ideas of the period that have been closed, by their outcome."),
    order=40,
)
def outcomes(period: Period) -> Measurement:
    figures = _figures(period)
    if figures is None:
        return Measurement.no_data()
    return Measurement(
        value=sum(figures.by_outcome.values()),
        breakdown=tuple((str(o.label), figures.by_outcome.get(o.value, 0)) for o in Outcome),
        note=_of(figures.received),
    )


@indicator(
    "ideas.felt_heard",
    task=TASK_IDEAS,
    label=_("Citizens who felt heard"),
    unit=Unit.SHARE,
    description=_(
        "Of the citizens who answered the survey after their idea was closed, the share who "
        "answered yes to “Did you feel heard?”."
    ),
    higher_is_better=True,
    order=70,
)
def felt_heard(period: Period) -> Measurement:
    figures = _figures(period)
    if figures is None:
        return Measurement.no_data()
    s = figures.satisfaction
    return _yes_share(s.felt_heard_yes, s.felt_heard_no)


@indicator(
    "ideas.clear_answer",
    task=TASK_IDEAS,
    label=_("Citizens who got a clear answer"),
    unit=Unit.SHARE,
    description=_(
        "Of the citizens who answered the survey after their idea was closed, the share who "
        "answered yes to “Did you get a clear answer?”."
    ),
    higher_is_better=True,
    order=80,
)
def clear_answer(period: Period) -> Measurement:
    figures = _figures(period)
    if figures is None:
        return Measurement.no_data()
    s = figures.satisfaction
    return _yes_share(s.clear_answer_yes, s.clear_answer_no)
