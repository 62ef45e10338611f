"""The yearly report's indicators about the knowledge base, all read from `knowledge_figures`."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from sammen.core.workdays import COPENHAGEN
from sammen.knowledge.figures import KnowledgeFigures, knowledge_figures
from sammen.knowledge.models import Kind
from sammen.reporting.indicators import TASK_KNOWLEDGE, Measurement, Period, indicator


def _figures(period: Period) -> KnowledgeFigures | None:
    figures: KnowledgeFigures = period.figures(knowledge_figures)
    return figures if figures.has_data else None


def _by_kind(counts: dict[str, int]) -> tuple[tuple[str, int], ...]:
    return tuple((str(kind.label), counts.get(kind.value, 0)) for kind in Kind)


@indicator(
    "knowledge.entries_published",
    task=TASK_KNOWLEDGE,
    label=_("Knowledge entries published"),
    description=_("Entries published for the first time in the period, by kind."),
    higher_is_better=True,
    order=10,
)
def entries_published(period: Period) -> Measurement:
    figures = _figures(period)
    if figures is None:
        return Measurement.no_data()
    return Measurement(value=figures.published, breakdown=_by_kind(figures.published_by_kind))


@indicator(
    "knowledge.entries_updated",
    task=TASK_KNOWLEDGE,
    label=_("Knowledge entries updated"),
    description=_(
        "Published entries whose text was changed in the period (edited, restored or published "
        "again), by kind. Each entry counts once."
    ),
    higher_is_better=True,
    order=20,
)
def entries_updated(period: Period) -> Measurement:
    figures = _figures(period)
    if figures is None:
        return Measurement.no_data()
    return Measurement(value=figures.updated, breakdown=_by_kind(figures.updated_by_kind))


@indicator(
    "knowledge.entries_out_of_date",
    task=TASK_KNOWLEDGE,
    label=_("Knowledge entries out of date"),
    description=_(
        "Entries that were published and past their review date at the end of the period, by kind."
    ),
    higher_is_better=False,
    order=30,
)
def entries_out_of_date(period: Period) -> Measurement:
    figures = _figures(period)
    if figures is None:
        return Measurement.no_data()
    return Measurement(
        value=figures.out_of_date,
        breakdown=_by_kind(figures.out_of_date_by_kind),
        note=ngettext(
            "of %(count)s published entry",
            "of %(count)s published entries",
            figures.published_at_end,
        )
        % {"count": figures.published_at_end},
    )


@indicator(
    "knowledge.consultants",
    task=TASK_KNOWLEDGE,
    label=_("Dialogue consultants"),
    description=_(
        "Active dialogue consultants per department when the report was made (the platform "
        "keeps no history of roles). A consultant for two departments counts under each."
    ),
    order=40,
)
def consultants(period: Period) -> Measurement:
    figures = _figures(period)
    if figures is None:
        return Measurement.no_data()
    return Measurement(
        value=figures.consultants,
        breakdown=tuple((d.name, d.consultants) for d in figures.consultants_by_department),
        note=gettext("as on %(date)s")
        % {"date": date_format(timezone.localtime(figures.computed_at, COPENHAGEN).date())},
    )
