"""Charts for staff pages and generated documents: one description, drawn as SVG or PNG.

A chart is described once (`bar_chart`, `line_chart`) and drawn by matplotlib, a well-kept
library, in the two forms the platform needs: inline SVG for web pages and the PDF (sharp at any
size, text kept as text) and PNG for Word documents, which cannot hold SVG. Every chart has a
title that screen readers announce; pages still show the same numbers in a table beside it,
because a picture of numbers is not an accessible way to give them (WCAG 1.1.1).

matplotlib is used through its object API (`Figure`), never `pyplot`, so charts can be drawn in
several threads of one server process without sharing global state.
"""

import hashlib
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

import matplotlib
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

matplotlib.use("Agg")

Number = int | float | None

# Colours from the design system's palette with at least 3:1 contrast against white (WCAG
# 1.4.11, non-text contrast); grey comes second so that "last year" reads as the background.
PALETTE = ("#0059b3", "#6f6f6f", "#00847f", "#b04a00", "#6b3fa0", "#8a6d00")
TEXT_COLOUR = "#1a1a1a"
GRID_COLOUR = "#d6d6d6"
FONT_FILES = (
    "vendor/dkfds/fonts/IBMPlexSans/complete/ttf/IBMPlexSans-Regular.ttf",
    "vendor/dkfds/fonts/IBMPlexSans/complete/ttf/IBMPlexSans-SemiBold.ttf",
)


@cache
def _font_family() -> list[str]:
    """The design system's typeface when its files are installed (npm), else DejaVu Sans."""
    from django.contrib.staticfiles import finders

    found = False
    for name in FONT_FILES:
        path = finders.find(name)
        if path:
            font_manager.fontManager.addfont(path)
            found = True
    return ["IBM Plex Sans", "DejaVu Sans"] if found else ["DejaVu Sans"]


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[Number]


@dataclass(frozen=True)
class Chart:
    """A chart described as data; `svg()` and `png()` draw it."""

    kind: str  # "bar" or "line"
    title: str
    labels: Sequence[str]
    series: Sequence[Series]
    unit: str = ""
    horizontal: bool = False
    percent: bool = False
    size: tuple[float, float] = field(default=(8.0, 4.0))

    def _figure(self) -> Figure:
        figure = Figure(figsize=self.size, layout="constrained")
        axes = figure.add_subplot()
        family = _font_family()
        for text_setting in (axes.title, axes.xaxis.label, axes.yaxis.label):
            text_setting.set_family(family)
        positions = range(len(self.labels))
        count = max(len(self.series), 1)
        width = 0.8 / count
        for index, series in enumerate(self.series):
            colour = PALETTE[index % len(PALETTE)]
            if self.kind == "line":
                # A missing value is a gap in the line (a day the campaign did not have), not 0.
                values = [float("nan") if v is None else v for v in series.values]
                axes.plot(
                    list(positions),
                    values,
                    color=colour,
                    linewidth=2,
                    label=series.name,
                    marker="o" if len(values) <= 31 else None,
                    markersize=3,
                )
            else:
                values = [0 if v is None else v for v in series.values]
                offsets = [p - 0.4 + width * (index + 0.5) for p in positions]
                if self.horizontal:
                    axes.barh(offsets, values, height=width, color=colour, label=series.name)
                else:
                    axes.bar(offsets, values, width=width, color=colour, label=series.name)
        value_axis = axes.xaxis if self.horizontal else axes.yaxis
        label_axis = axes.yaxis if self.horizontal else axes.xaxis
        if self.percent:
            value_axis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:.0%}"))
        else:
            value_axis.set_major_locator(MaxNLocator(integer=True))
        if self.horizontal:
            axes.set_yticks(list(positions), list(self.labels))
            axes.invert_yaxis()  # the first label on top, as in the table beside it
        else:
            step = max(1, len(self.labels) // 12)  # at most about twelve labels along the axis
            ticks = list(positions)[::step]
            axes.set_xticks(ticks, [self.labels[i] for i in ticks])
            if any(len(label) > 8 for label in self.labels):
                for tick in axes.get_xticklabels():
                    tick.set_rotation(30)
                    tick.set_horizontalalignment("right")
        for tick in [*axes.get_xticklabels(), *axes.get_yticklabels()]:
            tick.set_family(family)
            tick.set_color(TEXT_COLOUR)
        if self.unit:
            (axes.set_xlabel if self.horizontal else axes.set_ylabel)(
                self.unit, color=TEXT_COLOUR, family=family
            )
        axes.set_title(self.title, loc="left", color=TEXT_COLOUR, family=family, fontsize=12)
        value_axis.grid(True, color=GRID_COLOUR, linewidth=0.8)
        axes.set_axisbelow(True)
        label_axis.grid(False)
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        if len(self.series) > 1:
            axes.legend(frameon=False, prop={"family": family})
        return figure

    def _salt(self) -> str:
        key = repr(
            (self.kind, self.title, list(self.labels), [tuple(s.values) for s in self.series])
        )
        return hashlib.sha256(key.encode()).hexdigest()[:10]

    def svg(self) -> SafeString:
        """Inline SVG (no XML prolog), scaling to its container, named by its title. Its element
        ids are prefixed per chart so several charts can share one HTML page."""
        buffer = io.StringIO()
        salt = self._salt()
        with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": salt}):
            self._figure().savefig(buffer, format="svg", metadata={"Date": None})
        text = buffer.getvalue()
        text = text[text.index("<svg") :]
        text = re.sub(r"<metadata>.*?</metadata>", "", text, flags=re.S)
        prefix = f"c{salt}-"
        for element_id in set(re.findall(r'id="([^"]+)"', text)):
            text = text.replace(f'id="{element_id}"', f'id="{prefix}{element_id}"')
            text = text.replace(f"#{element_id})", f"#{prefix}{element_id})")
            text = text.replace(f'"#{element_id}"', f'"#{prefix}{element_id}"')
        title_id = f"{prefix}title"
        text = re.sub(
            r'<svg([^>]*?) width="[^"]*" height="[^"]*"',
            rf'<svg\1 role="img" aria-labelledby="{title_id}" class="chart" '
            r'style="max-width:100%;height:auto"',
            text,
            count=1,
        )
        text = re.sub(
            r"(<svg[^>]*>)",
            rf'\1<title id="{title_id}">{escape(self.title)}</title>',
            text,
            count=1,
        )
        return mark_safe(text)  # noqa: S308 (drawn here from escaped labels; no user markup)

    def png(self, dpi: int = 150) -> bytes:
        buffer = io.BytesIO()
        self._figure().savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
        return buffer.getvalue()


def _as_series(series: Sequence[Series] | Sequence[Number], name: str) -> tuple[Series, ...]:
    if series and all(isinstance(s, Series) for s in series):
        return tuple(series)  # type: ignore[arg-type]
    return (Series(name, tuple(series)),)  # type: ignore[arg-type]


def bar_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[Series] | Sequence[Number],
    *,
    unit: str = "",
    horizontal: bool | None = None,
    percent: bool = False,
) -> Chart:
    """Bars per label; several `Series` are drawn side by side (e.g. this year and last year).
    Long or many labels turn the bars horizontal unless `horizontal` says otherwise."""
    labels = [str(label) for label in labels]
    if horizontal is None:
        horizontal = len(labels) > 8 or any(len(label) > 14 for label in labels)
    height = max(3.0, 0.35 * len(labels) + 1.2) if horizontal else 4.0
    return Chart(
        kind="bar",
        title=str(title),
        labels=labels,
        series=_as_series(series, str(title)),
        unit=str(unit),
        horizontal=horizontal,
        percent=percent,
        size=(8.0, height),
    )


def line_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[Series] | Sequence[Number],
    *,
    unit: str = "",
    percent: bool = False,
) -> Chart:
    """A line per series over the labels (days, usually); a missing value (None) is a gap."""
    return Chart(
        kind="line",
        title=str(title),
        labels=[str(label) for label in labels],
        series=_as_series(series, str(title)),
        unit=str(unit),
        percent=percent,
    )
