"""Charts: one description drawn as accessible inline SVG and as PNG."""

import re

from sammen.core.charts import Series, bar_chart, line_chart


def test_svg_is_inline_named_by_its_title_and_escapes_it():
    chart = bar_chart("Visits <by> district", ["Valby", "Amager Øst"], [3, 5])
    svg = str(chart.svg())
    assert svg.startswith("<svg") and "<?xml" not in svg
    title_id = re.search(r'aria-labelledby="([^"]+)"', svg).group(1)
    assert f'<title id="{title_id}">Visits &lt;by&gt; district</title>' in svg
    assert 'role="img"' in svg
    assert "Amager Øst" in svg  # text stays text (searchable, sharp in the PDF)


def test_two_charts_on_one_page_share_no_element_id():
    first = str(bar_chart("A", ["x", "y"], [1, 2]).svg())
    second = str(
        line_chart("B", ["x", "y"], [Series("2025", [1, 2]), Series("2024", [2, 1])]).svg()
    )
    ids_first = set(re.findall(r'id="([^"]+)"', first))
    ids_second = set(re.findall(r'id="([^"]+)"', second))
    assert ids_first and ids_second and not ids_first & ids_second
    for reference in re.findall(r'url\(#([^)]+)\)|href="#([^"]+)"', second):
        assert (reference[0] or reference[1]) in ids_second


def test_png_is_a_picture_and_the_drawing_is_repeatable():
    chart = bar_chart("Ideas", ["ØKF", "KFF"], [Series("2025", [4, None]), Series("2024", [1, 2])])
    png = chart.png(dpi=40)
    assert png.startswith(b"\x89PNG")
    assert chart.svg() == chart.svg()


def test_many_or_long_labels_turn_bars_horizontal():
    assert bar_chart("t", ["a", "b"], [1, 2]).horizontal is False
    assert bar_chart("t", ["Vesterbro/Kongens Enghave", "b"], [1, 2]).horizontal is True
    assert bar_chart("t", [str(i) for i in range(12)], list(range(12))).horizontal is True
