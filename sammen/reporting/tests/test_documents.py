"""The report's documents: the PDF (read back with pypdf) and the Word document (read back with
python-docx) carry the tasks, the figures, "no data" for a year without data, the tables and the
charts, and are drawn from the frozen snapshot alone."""

import io

import pytest
from django.utils import translation

from sammen.reporting import documents, report
from sammen.reporting.models import AnnualReport, Task
from sammen.reporting.tests.test_report import (  # noqa: F401 (fixtures)
    COUNT_KEY,
    YEAR,
    person,
    status,
    test_indicators,
)

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> tuple[str, list]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return " ".join(text.split()), reader.pages


@pytest.fixture
def danish_report(status) -> AnnualReport:  # noqa: F811 (the fixture)
    with translation.override("da"):
        return report.generate_report(YEAR, person("steering"), "Et år med mange idéer.")


def test_pdf_is_a4_with_tasks_figures_no_data_and_page_numbers(danish_report):
    text, pages = pdf_text(documents.render_pdf(danish_report))

    width, height = float(pages[0].mediabox.width), float(pages[0].mediabox.height)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    assert f"Statusrapport {YEAR}" in text
    assert "Et år med mange idéer." in text
    for task in Task.objects.filter(is_active=True):
        assert task.title_da in text
    assert "The idea flow doubled this year." in text
    assert "1.234" in text and "80 %" in text and "+5 procentpoint" in text
    assert "ingen data" in text  # last year's count, and the indicator never measured
    assert "250.000 kr." in text and "Approve a second coordinator." in text
    assert f"Side 1 af {len(pages)}" in text
    assert danish_report.snapshot["organisation"] in text


def test_pdf_embeds_the_charts_as_vector_graphics(danish_report):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(documents.render_pdf(danish_report)))
    # An SVG image is drawn as a form XObject (vector), not as a bitmap.
    kinds = set()
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        for xobject in (resources.get("/XObject") or {}).values():
            kinds.add(xobject.get_object().get("/Subtype"))
    assert "/Form" in kinds


def test_pdf_of_a_year_without_data(status):  # noqa: F811 (the fixture)
    with translation.override("da"):
        empty = report.generate_report(YEAR - 6, None)
    text, _pages = pdf_text(documents.render_pdf(empty))
    assert "ingen data" in text
    assert "Der blev ikke lavet en status for opgaven i" in text


def test_documents_render_from_the_snapshot_only(danish_report, django_assert_num_queries):
    danish_report.refresh_from_db()
    with django_assert_num_queries(0):
        documents.render_pdf(danish_report)
        documents.render_docx(danish_report)


def test_word_document_has_headings_tables_and_pictures(danish_report):
    from docx import Document

    document = Document(io.BytesIO(documents.render_docx(danish_report)))
    headings = [
        p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))
    ]
    assert headings[0] == f"Statusrapport {YEAR}"
    for expected in ("Indledning", "Overblik", "Finansieringsbehov", "Til beslutning"):
        assert any(heading.startswith(expected) for heading in headings), expected
    for task in Task.objects.filter(is_active=True):
        assert any(task.title_da in heading for heading in headings)

    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "Ideas received (test)" in cells and "1.234" in cells and "ingen data" in cells
    assert "250.000 kr." in cells
    assert len(document.inline_shapes) >= 2  # the traffic lights and the breakdown by department
    assert document.sections[0].header.paragraphs[0].text == danish_report.snapshot["organisation"]
    body = "\n".join(p.text for p in document.paragraphs)
    assert "Et år med mange idéer." in body and "Approve a second coordinator." in body


def test_charts_come_with_their_numbers_as_a_table(danish_report):
    with translation.override("da"):
        context = documents.report_context(danish_report.snapshot, svg=False)
    chart = context["charts"][COUNT_KEY]
    assert chart.columns == ["", str(YEAR)]  # last year had no breakdown
    assert chart.rows == [["TMF", "1.000"], ["KFF", "234"]]
    assert context["overview_chart"].rows[0][1] == "1"  # one task on track


def test_file_names_follow_the_year(danish_report):
    assert documents.file_name(danish_report, "pdf") == f"statusrapport-{YEAR}.pdf"
    assert documents.file_name(danish_report, "docx") == f"statusrapport-{YEAR}.docx"
