"""The yearly report as a web page, a PDF and a Word document, drawn from its frozen snapshot.

Everything here reads the snapshot only (`AnnualReport.snapshot`, built by `sammen.reporting.
report`), never the live data, so a report looks the same whenever it is opened. The three forms
share one description of the charts (`report_charts`): a chart per indicator with a breakdown
(this year beside last year) and an overview of the tasks' traffic lights. Each chart comes with
its numbers as a table, because a picture of numbers is not accessible on its own.

- PDF: WeasyPrint renders a template made for print (A4, page numbers, the organisation's name
  in the running head), with the charts embedded as SVG images.
- Word: python-docx writes headings, paragraphs and tables in the document's own styles, with the
  charts as PNG pictures, so staff can edit the memo afterwards.
"""

import base64
import io
from dataclasses import dataclass, field
from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from sammen.core.charts import Chart, Series, bar_chart
from sammen.reporting.indicators import Unit
from sammen.reporting.models import AnnualReport
from sammen.reporting.report import generated_at

FONT_FILES = {
    ("normal", 400): "vendor/dkfds/fonts/IBMPlexSans/complete/ttf/IBMPlexSans-Regular.ttf",
    ("italic", 400): "vendor/dkfds/fonts/IBMPlexSans/complete/ttf/IBMPlexSans-Italic.ttf",
    ("normal", 600): "vendor/dkfds/fonts/IBMPlexSans/complete/ttf/IBMPlexSans-SemiBold.ttf",
    ("normal", 700): "vendor/dkfds/fonts/IBMPlexSans/complete/ttf/IBMPlexSans-Bold.ttf",
}


@dataclass
class ReportChart:
    """A chart with the table that gives the same numbers in text."""

    id: str
    title: str
    chart: Chart
    columns: list[str]
    rows: list[list[str]]
    svg: str = field(default="", repr=False)

    def svg_data_uri(self) -> str:
        data = base64.b64encode(self.chart.svg().encode()).decode()
        return f"data:image/svg+xml;base64,{data}"


def _indicator_chart(indicator: dict[str, Any], snapshot: dict[str, Any]) -> ReportChart | None:
    """This year's breakdown beside last year's (when last year had one), e.g. per department."""
    current = indicator["current"]["breakdown"]
    previous = indicator["previous"]["breakdown"]
    if not current and not previous:
        return None
    if not any(row["value"] for row in [*current, *previous]):
        # Nothing but zeros (no dead ends, no out-of-date entries): the table says it plainly;
        # a chart of empty bars would only take space.
        return None
    labels: list[str] = []
    for row in [*current, *previous]:
        if row["label"] not in labels:
            labels.append(row["label"])
    now = {row["label"]: row for row in current}
    before = {row["label"]: row for row in previous}
    year, last_year = str(snapshot["year"]), str(snapshot["previous_year"])
    series = [Series(year, [now[label]["value"] if label in now else None for label in labels])]
    if previous:
        series.append(
            Series(
                last_year, [before[label]["value"] if label in before else None for label in labels]
            )
        )
    unit = indicator["unit"]
    no_data = _("no data")
    rows = [
        [
            label,
            now[label]["display"] if label in now else no_data,
            *([before[label]["display"] if label in before else no_data] if previous else []),
        ]
        for label in labels
    ]
    return ReportChart(
        id=f"chart-{indicator['key']}",
        title=indicator["label"],
        chart=bar_chart(
            indicator["label"],
            labels,
            series,
            unit="" if unit in (Unit.SHARE, Unit.COUNT) else indicator["unit_label"],
            percent=unit == Unit.SHARE,
        ),
        columns=["", year, *([last_year] if previous else [])],
        rows=rows,
    )


def _traffic_light_chart(snapshot: dict[str, Any]) -> ReportChart:
    rows = snapshot["traffic_lights"]
    title = _("The tasks' status in %(year)s") % {"year": snapshot["year"]}
    return ReportChart(
        id="chart-traffic-lights",
        title=title,
        chart=bar_chart(
            title,
            [row["display"] for row in rows],
            [row["count"] for row in rows],
            unit=_("tasks"),
            horizontal=True,
        ),
        columns=[_("Status"), _("Tasks")],
        rows=[[row["display"], str(row["count"])] for row in rows],
    )


def report_context(snapshot: dict[str, Any], *, svg: bool = True) -> dict[str, Any]:
    """What the report templates need: the snapshot, its charts, and each task's indicators with
    their charts. `svg` draws the charts' SVG now (the web page and the PDF use it)."""
    overview = _traffic_light_chart(snapshot)
    charts = {}
    for indicator in snapshot["indicators"]:
        chart = _indicator_chart(indicator, snapshot)
        if chart is not None:
            charts[indicator["key"]] = chart
    if svg:
        for chart in [overview, *charts.values()]:
            chart.svg = chart.chart.svg()
    tasks = [
        {
            **task,
            "measured": [
                {"indicator": indicator, "chart": charts.get(indicator["key"])}
                for indicator in task["indicators"]
            ],
        }
        for task in snapshot["tasks"]
    ]
    return {
        "snapshot": snapshot,
        "tasks": tasks,
        "overview_chart": overview,
        "charts": charts,
        "generated_at": generated_at(snapshot),
        "evaluated": [item for item in snapshot["indicators"] if item["target"] is not None],
    }


def file_name(report: AnnualReport, extension: str) -> str:
    return f"statusrapport-{report.year}.{extension}"


# --- PDF -----------------------------------------------------------------------------------------


def _font_faces() -> list[dict[str, Any]]:
    faces = []
    for (style, weight), name in FONT_FILES.items():
        path = finders.find(name)
        if path:
            faces.append({"style": style, "weight": weight, "url": f"file://{path}"})
    return faces


def render_pdf(report: AnnualReport) -> bytes:
    """The report as an A4 PDF, in the language it was generated in."""
    from weasyprint import HTML

    snapshot = report.snapshot
    with translation.override(snapshot.get("language") or None):
        context = report_context(snapshot, svg=False)
        context["font_faces"] = _font_faces()
        html = render_to_string("reporting/report_print.html", context)
    return HTML(string=html, base_url="/").write_pdf()


# --- Word ----------------------------------------------------------------------------------------


def _page_number_field(paragraph: Any) -> None:
    """A PAGE field: Word fills in the page number on every page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _table(document: Any, caption: str, columns: list[str], rows: list[list[str]]) -> None:
    from docx.shared import Cm, Pt

    label = document.add_paragraph(caption, style="Caption")
    label.paragraph_format.keep_with_next = True
    table = document.add_table(rows=1, cols=len(columns))
    table.style = "Light Grid Accent 1"
    for cell, text in zip(table.rows[0].cells, columns, strict=True):
        cell.text = text
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = str(text)
    # The label column gets room of its own, so "Fremmøde til konferencer" is not broken into
    # syllables by Word's even split; the figures share the rest of the 16 cm text width.
    first = Cm(5.5) if len(columns) > 2 else Cm(10)
    other = int((Cm(16) - first) / max(len(columns) - 1, 1))
    table.autofit = False
    for index, column in enumerate(table.columns):  # the grid LibreOffice reads
        column.width = first if index == 0 else other
    for row in table.rows:
        for index, cell in enumerate(row.cells):
            cell.width = first if index == 0 else other
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(9.5)
    document.add_paragraph()


def _paragraphs(document: Any, text: str) -> None:
    for block in text.replace("\r\n", "\n").split("\n\n"):
        if block.strip():
            document.add_paragraph(block.strip())


def _labelled(document: Any, label: str, text: str) -> None:
    if not text.strip():
        return
    heading = document.add_paragraph()
    heading.add_run(label).bold = True
    heading.paragraph_format.space_after = 0
    heading.paragraph_format.keep_with_next = True
    _paragraphs(document, text)


def _indicator_rows(context: dict[str, Any], items: list[dict[str, Any]]) -> list[list[str]]:
    return [
        [
            item["label"],
            item["current"]["display"],
            item["previous"]["display"],
            item["change_display"] or "–",
            item["target"]["display"] if item["target"] else "–",
            item["target"]["met_display"] if item["target"] else "–",
        ]
        for item in items
    ]


def _indicator_columns(snapshot: dict[str, Any]) -> list[str]:
    return [
        _("Indicator"),
        str(snapshot["year"]),
        str(snapshot["previous_year"]),
        pgettext("difference from last year", "Change"),
        _("Target"),
        _("Target met"),
    ]


def _picture(document: Any, chart: ReportChart) -> None:
    from docx.shared import Cm

    document.add_picture(io.BytesIO(chart.chart.png(dpi=150)), width=Cm(15.5))
    _table(document, chart.title, chart.columns, chart.rows)


def render_docx(report: AnnualReport) -> bytes:
    """The report as an editable Word document, in the language it was generated in."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt, RGBColor

    snapshot = report.snapshot
    with translation.override(snapshot.get("language") or None):
        context = report_context(snapshot, svg=False)
        document = Document()
        section = document.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        for side in ("left_margin", "right_margin"):
            setattr(section, side, Cm(2.5))
        section.top_margin, section.bottom_margin = Cm(2.2), Cm(2.2)
        styles = document.styles
        styles["Normal"].font.name = "Calibri"
        styles["Normal"].font.size = Pt(11)
        for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
            styles[name].font.color.rgb = RGBColor(0x00, 0x3F, 0x80)

        organisation = snapshot.get("organisation") or ""
        header = section.header.paragraphs[0]
        header.text = organisation
        header.style = styles["Header"]
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        footer.add_run(_("Page") + " ")
        _page_number_field(footer)

        title = _("Status report %(year)s") % {"year": snapshot["year"]}
        document.add_heading(title, level=0)
        made = context["generated_at"]
        meta = _("To the directors. Generated from Sammen om Byen on %(date)s.") % {
            "date": date_format(made, "DATE_FORMAT") if made else ""
        }
        document.add_paragraph(meta)

        document.add_heading(_("Introduction"), level=1)
        if snapshot["introduction"].strip():
            _paragraphs(document, snapshot["introduction"])
        else:
            document.add_paragraph(_("No introduction was written for this report."))

        document.add_heading(_("Overview"), level=1)
        _picture(document, context["overview_chart"])
        _table(
            document,
            _("The tasks at a glance"),
            [_("Task"), _("Status"), _("Financing need")],
            [
                [
                    f"{task['number']}. {task['title']}",
                    task["entry"]["traffic_light_display"]
                    if task["entry"]
                    else _("No status entry"),
                    (task["entry"]["financing_need_display"] or "–") if task["entry"] else "–",
                ]
                for task in context["tasks"]
            ],
        )

        document.add_heading(_("The tasks"), level=1)
        for task in context["tasks"]:
            document.add_heading(f"{task['number']}. {task['title']}", level=2)
            entry = task["entry"]
            if entry is None:
                document.add_paragraph(
                    _("No status entry was made for this task in %(year)s.")
                    % {"year": snapshot["year"]}
                )
            else:
                status = document.add_paragraph()
                status.add_run(_("Status") + ": ").bold = True
                status.add_run(entry["traffic_light_display"])
                _paragraphs(document, entry["narrative"])
                _labelled(document, _("Where the task stands"), entry["status_text"])
                _labelled(document, _("Activities"), entry["activities"])
                _labelled(document, _("Results"), entry["results"])
                need = document.add_paragraph()
                need.add_run(_("Financing need") + ": ").bold = True
                need.add_run(
                    ", ".join(
                        part
                        for part in (
                            entry["financing_need_display"],
                            entry["financing_display"].lower(),
                        )
                        if part
                    )
                )
            if task["indicators"]:
                _table(
                    document,
                    _("Figures for %(task)s") % {"task": task["title"]},
                    _indicator_columns(snapshot),
                    _indicator_rows(context, task["indicators"]),
                )
                for measured in task["measured"]:
                    if measured["chart"] is not None:
                        _picture(document, measured["chart"])

        document.add_heading(_("Financing needs"), level=1)
        financing = snapshot["financing"]
        if financing["rows"]:
            rows = [
                [
                    f"{row['task_number']}. {row['task_title']}",
                    row["amount_display"],
                    row["state_display"],
                ]
                for row in financing["rows"]
            ]
            rows += [
                [_("Total: %(state)s") % {"state": row["state_display"]}, row["amount_display"], ""]
                for row in financing["totals"]
            ]
            rows.append([_("Total need (requested and granted)"), financing["total_display"], ""])
            _table(
                document, _("Financing needs per task"), [_("Task"), _("Amount"), _("State")], rows
            )
        else:
            document.add_paragraph(_("No task needs extra financing."))

        document.add_heading(_("Evaluation against the targets"), level=1)
        if context["evaluated"]:
            document.add_paragraph(
                _("%(met)s of %(total)s targets met; %(missed)s not met; %(none)s without data.")
                % {
                    "met": snapshot["targets_met"],
                    "total": snapshot["targets_total"],
                    "missed": snapshot["targets_missed"],
                    "none": snapshot["targets_without_data"],
                }
            )
            _table(
                document,
                _("Indicators with a target"),
                _indicator_columns(snapshot),
                _indicator_rows(context, context["evaluated"]),
            )
        else:
            document.add_paragraph(
                _("No targets were set for %(year)s.") % {"year": snapshot["year"]}
            )

        document.add_heading(_("Decisions requested"), level=1)
        if snapshot["decisions"]:
            for decision in snapshot["decisions"]:
                item = document.add_paragraph(style="List Number")
                item.add_run(f"{decision['task_title']}: ").bold = True
                item.add_run(decision["text"])
        else:
            document.add_paragraph(_("The directors are asked for no decisions this year."))

        buffer = io.BytesIO()
        document.save(buffer)
    return buffer.getvalue()
