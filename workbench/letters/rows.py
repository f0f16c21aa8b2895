"""A light two-column table for plain-text rows (the amounts breakdown), drawn directly on the canvas.

Platypus' Table is general (spans, styles per cell, nested flowables) and so was a sixth of a beschikking's
render; these rows only need text broken into lines, a right-aligned amount, a shaded group row and a rule.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from reportlab.lib import colors
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

PAD_X, PAD_Y = 4, 3
CONTINUED = " (vervolg)"  # on a group header repeated at the top of the next page


@dataclass(frozen=True)
class Row:
    """One row: the left lines, the right lines (right-aligned when `right`), bold and shaded when `bold`."""

    left: tuple[str, ...]
    right: tuple[str, ...]
    bold: bool
    align_right: bool


def make_row(left: str, right: str, *, bold: bool, align_right: bool, widths: tuple[float, float],
             fonts: tuple[str, str], size: float) -> Row:
    """Break both cells into lines that fit their column."""
    font = fonts[1] if bold else fonts[0]
    return Row(left=tuple(_lines(left, font, size, widths[0] - 2 * PAD_X)),
               right=tuple(_lines(right, font, size, widths[1] - 2 * PAD_X)), bold=bold, align_right=align_right)


def _lines(text: str, font: str, size: float, room: float) -> list[str]:
    if not text:
        return []
    if stringWidth(text, font, size) <= room:
        return [text]
    return list(simpleSplit(text, font, size, room))


class Rows(Flowable):  # type: ignore[misc]
    """Rows of one group; it splits between rows, and repeats a group header row on top of the next page."""

    def __init__(self, rows: tuple[Row, ...], *, widths: tuple[float, float], fonts: tuple[str, str], size: float,
                 leading: float, shade: Any, rule: Any, header: bool) -> None:
        super().__init__()
        self.rows, self.widths, self.fonts, self.size, self.leading = rows, widths, fonts, size, leading
        self.shade, self.rule, self.header = shade, rule, header
        self.heights = [max(len(r.left), len(r.right), 1) * leading + 2 * PAD_Y for r in rows]

    def _copy(self, rows: tuple[Row, ...], header: bool) -> Rows:
        return Rows(rows, widths=self.widths, fonts=self.fonts, size=self.size, leading=self.leading,
                    shade=self.shade, rule=self.rule, header=header)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width, self.height = sum(self.widths), sum(self.heights)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        used, fits = 0.0, 0
        for height in self.heights:
            if used + height > availHeight:
                break
            used, fits = used + height, fits + 1
        # never a page that ends with only the group header, and never nothing but the header on the next one
        if fits <= (1 if self.header else 0) or fits == len(self.rows):
            return []
        rest = self.rows[fits:]
        if self.header:
            first = self.rows[0]
            label = first.left[0] if first.left[0].endswith(CONTINUED) else f"{first.left[0]}{CONTINUED}"
            rest = (replace(first, left=(label, *first.left[1:])), *rest)
        return [self._copy(self.rows[:fits], self.header), self._copy(rest, self.header)]

    def draw(self) -> None:
        canvas = self.canv
        top = self.height
        total_width = sum(self.widths)
        # shading and rules first, then all text in one text object: far fewer PDF operators than a
        # drawString per cell, which sets up a text object and the font every time
        bottoms = []
        for row, height in zip(self.rows, self.heights, strict=True):
            bottoms.append(top - height)
            if row.bold:
                canvas.setFillColor(self.shade)
                canvas.rect(0, top - height, total_width, height, stroke=0, fill=1)
            top -= height
        canvas.setStrokeColor(self.rule)
        canvas.setLineWidth(0.25)
        canvas.lines([(0, y, total_width, y) for y in bottoms])
        text = canvas.beginText()
        text.setFillColor(colors.black)
        top = self.height
        for row, height in zip(self.rows, self.heights, strict=True):
            font = self.fonts[1] if row.bold else self.fonts[0]
            text.setFont(font, self.size, self.leading)
            baseline = top - PAD_Y - self.size
            for i, line in enumerate(row.left):
                text.setTextOrigin(PAD_X, baseline - i * self.leading)
                text.textOut(line)
            for i, line in enumerate(row.right):
                x = total_width - PAD_X - stringWidth(line, font, self.size) if row.align_right \
                    else self.widths[0] + PAD_X
                text.setTextOrigin(x, baseline - i * self.leading)
                text.textOut(line)
            top -= height
        canvas.drawText(text)
