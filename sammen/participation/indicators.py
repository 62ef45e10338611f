"""The yearly report's indicators about the entry point: opportunities and subscriptions.

Read from `opportunity_figures` and `subscription_figures`; see `sammen.participation.figures` for
what each count means and, for subscriptions, what cannot be known once someone unsubscribes.
"""

from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from sammen.participation.figures import (
    OpportunityFigures,
    SubscriptionFigures,
    opportunity_figures,
    subscription_figures,
)
from sammen.reporting.indicators import TASK_ENTRY_POINT, Measurement, Period, Unit, indicator


def _opportunities(period: Period) -> OpportunityFigures | None:
    figures: OpportunityFigures = period.figures(opportunity_figures)
    return figures if figures.has_data else None


def _subscriptions(period: Period) -> SubscriptionFigures | None:
    figures: SubscriptionFigures = period.figures(subscription_figures)
    return figures if figures.has_data else None


def _published_note(figures: OpportunityFigures) -> str:
    note = gettext("%(imported)s imported from the hearing portal, %(local)s written here") % {
        "imported": figures.imported,
        "local": figures.written_here,
    }
    if figures.withdrawn:
        note += "; " + ngettext(
            "%(count)s more withdrawn by the source",
            "%(count)s more withdrawn by the source",
            figures.withdrawn,
        ) % {"count": figures.withdrawn}
    return note


@indicator(
    "participation.opportunities_published",
    task=TASK_ENTRY_POINT,
    label=_("Opportunities published"),
    description=_(
        "Opportunities to take part published for the first time in the period, by department. "
        "One run by several departments counts under each of them. Those withdrawn by the "
        "source are left out."
    ),
    higher_is_better=True,
    order=10,
)
def opportunities_published(period: Period) -> Measurement:
    figures = _opportunities(period)
    if figures is None:
        return Measurement.no_data()
    breakdown = [(d.name, d.published) for d in figures.by_department]
    if figures.without_department:
        breakdown.append((gettext("Without a department"), figures.without_department))
    return Measurement(
        value=figures.published, breakdown=tuple(breakdown), note=_published_note(figures)
    )


@indicator(
    "participation.opportunities_by_channel",
    task=TASK_ENTRY_POINT,
    label=_("Opportunities published by channel"),
    description=_(
        "Opportunities to take part published for the first time in the period, by the channel "
        "of influence they belong to. Those withdrawn by the source are left out."
    ),
    higher_is_better=True,
    order=20,
)
def opportunities_by_channel(period: Period) -> Measurement:
    figures = _opportunities(period)
    if figures is None:
        return Measurement.no_data()
    return Measurement(
        value=figures.published,
        breakdown=tuple((c.name, c.published) for c in figures.by_channel),
    )


@indicator(
    "participation.outcome_share",
    task=TASK_ENTRY_POINT,
    label=_("Opportunities with a published outcome"),
    unit=Unit.SHARE,
    description=_(
        "Of the opportunities published in the period that have closed, the share whose "
        "outcome (what came of it) has been published."
    ),
    higher_is_better=True,
    order=30,
)
def outcome_share(period: Period) -> Measurement:
    figures = _opportunities(period)
    if figures is None or figures.with_outcome.value is None:
        return Measurement.no_data()
    share = figures.with_outcome
    return Measurement(
        value=share.value,
        note=ngettext(
            "of %(count)s closed opportunity", "of %(count)s closed opportunities", share.of
        )
        % {"count": share.of},
    )


@indicator(
    "participation.subscriptions_new",
    task=TASK_ENTRY_POINT,
    label=_("New subscriptions"),
    description=_(
        "Subscriptions to the weekly e-mail confirmed in the period and not cancelled since. "
        "Cancelling deletes a subscription, so those who left again cannot be counted."
    ),
    higher_is_better=True,
    order=40,
)
def subscriptions_new(period: Period) -> Measurement:
    figures = _subscriptions(period)
    if figures is None:
        return Measurement.no_data()
    return Measurement(value=figures.new)


@indicator(
    "participation.subscriptions_active",
    task=TASK_ENTRY_POINT,
    label=_("Active subscriptions"),
    description=_(
        "Confirmed subscriptions to the weekly e-mail at the end of the period that are still "
        "active. Those cancelled since cannot be counted."
    ),
    higher_is_better=True,
    order=50,
)
def subscriptions_active(period: Period) -> Measurement:
    figures = _subscriptions(period)
    if figures is None:
        return Measurement.no_data()
    return Measurement(value=figures.active_at_end)
