"""Render a filled-in template to an A4 PDF with reportlab Platypus: embedded DejaVu fonts, window-envelope
address block, kenmerk/datum/onderwerp, case reference and "pagina x van y" on every page, CONCEPT watermark."""

from __future__ import annotations

import datetime as dt
import io
from functools import cache
from typing import Any

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from workbench.dates import dutch_date
from workbench.letters.flowables import BOLD, FONT, Para, flowables, styles
from workbench.letters.organisation import organisation, with_defaults
from workbench.letters.templates import Template, escape, render_blocks
from workbench.resources import resource_path

PAGE_W, PAGE_H = A4
LEFT, RIGHT = 22 * mm, 20 * mm
TOP, BOTTOM = 25 * mm, 22 * mm
ADDRESS_TOP = 50 * mm  # window envelope: the address window starts about 50 mm from the top, on the left
BODY_TOP_FIRST = 112 * mm
WIDTH = PAGE_W - LEFT - RIGHT
GREY = colors.HexColor("#444444")


@cache
def register_fonts() -> None:
    """Once per process: the fonts, and binary (not ASCII85) streams, which are smaller and faster to write."""
    pdfmetrics.registerFont(TTFont(FONT, str(resource_path("fonts", "DejaVuSans.ttf"))))
    pdfmetrics.registerFont(TTFont(BOLD, str(resource_path("fonts", "DejaVuSans-Bold.ttf"))))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)
    # reportlab reads this when it makes each stream; the workbench is its only user in the process
    rl_config.useA85 = 0


class NumberedCanvas(Canvas):  # type: ignore[misc]
    """Keeps each page until the end, so every page can say "pagina x van y"; draws footer and watermark."""

    def __init__(self, *args: Any, footer: str, draft: bool, **kwargs: Any) -> None:
        kwargs["initialFontName"] = FONT  # never let the base-14 Helvetica into the file
        super().__init__(*args, **kwargs)
        self._footer, self._draft = footer, draft
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._decorate(number, total)
            super().showPage()
        super().save()

    def _decorate(self, number: int, total: int) -> None:
        self.saveState()
        self.setFont(FONT, 8)
        self.setFillColor(GREY)
        self.drawString(LEFT, 12 * mm, self._footer)
        self.drawRightString(PAGE_W - RIGHT, 12 * mm, f"pagina {number} van {total}")
        if self._draft:
            self.setFont(BOLD, 110)
            self.setFillColor(colors.Color(0.6, 0.6, 0.6, alpha=0.25))
            self.translate(PAGE_W / 2, PAGE_H / 2)
            self.rotate(45)
            self.drawCentredString(0, -35, "CONCEPT")
        self.restoreState()


class _Letter(BaseDocTemplate):  # type: ignore[misc]
    """A first page with letterhead, address window, reference block and subject; later pages with a header."""

    def __init__(self, buf: io.BytesIO, *, template: Template, reference: str, case_reference: str,
                 letter_date: dt.date, recipient_lines: list[str]) -> None:
        self.sender = organisation()
        super().__init__(buf, pagesize=A4, leftMargin=LEFT, rightMargin=RIGHT, topMargin=TOP, bottomMargin=BOTTOM,
                         title=template.title, author=self.sender.name,
                         subject=f"{template.subject} ({case_reference})", creator="Zaakwerkbank",
                         invariant=1, lang="nl-NL")
        self.subject_line, self.reference, self.case_reference = template.subject, reference, case_reference
        self.letter_date, self.recipient_lines = letter_date, recipient_lines
        first = Frame(LEFT, BOTTOM, WIDTH, PAGE_H - BODY_TOP_FIRST - BOTTOM, id="first",
                      leftPadding=0, rightPadding=0, topPadding=0)
        later = Frame(LEFT, BOTTOM, WIDTH, PAGE_H - TOP - BOTTOM, id="later",
                      leftPadding=0, rightPadding=0, topPadding=0)
        self.addPageTemplates([PageTemplate("first", [first], onPage=self._first_page, autoNextPageTemplate="later"),
                               PageTemplate("later", [later], onPage=self._later_page)])

    def _first_page(self, canvas: Canvas, _doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(BOLD, 11)
        canvas.drawRightString(PAGE_W - RIGHT, PAGE_H - 20 * mm, self.sender.name)
        canvas.setFont(FONT, 8)
        canvas.setFillColor(GREY)
        canvas.drawRightString(PAGE_W - RIGHT, PAGE_H - 25 * mm, self.sender.postal_address)
        canvas.drawString(LEFT, PAGE_H - ADDRESS_TOP + 4 * mm,
                          f"Retouradres: {self.sender.name}, {self.sender.postal_address}")
        canvas.setFillColor(colors.black)
        canvas.setFont(FONT, 10.5)
        y = PAGE_H - ADDRESS_TOP - 4 * mm
        for line in self.recipient_lines[:6]:
            canvas.drawString(LEFT, y, line)
            y -= 5 * mm
        # the reference block: small grey labels over the values, in three columns
        top = PAGE_H - 86 * mm
        for x, label, value in ((0, "Datum", dutch_date(self.letter_date)), (42 * mm, "Ons kenmerk", self.reference),
                                (120 * mm, "Zaaknummer", self.case_reference)):
            canvas.setFont(FONT, 8)
            canvas.setFillColor(GREY)
            canvas.drawString(LEFT + x, top - 7, label)
            canvas.setFont(FONT, 10)
            canvas.setFillColor(colors.black)
            canvas.drawString(LEFT + x, top - 20, value)
        subject = Para(f"Onderwerp: {escape(self.subject_line)}", styles()["subject"], fixed=True)
        _w, h = subject.wrapOn(canvas, WIDTH, 20 * mm)
        subject.drawOn(canvas, LEFT, top - 25 - 5 * mm - h)
        canvas.restoreState()

    def _later_page(self, canvas: Canvas, _doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.setFillColor(GREY)
        canvas.drawRightString(PAGE_W - RIGHT, PAGE_H - 15 * mm, f"{self.sender.name} · {dutch_date(self.letter_date)}")
        canvas.restoreState()


def render_pdf(template: Template, values: dict[str, Any], *, reference: str, case_reference: str,
               letter_date: dt.date, recipient_lines: list[str], draft: bool,
               policy_versions: tuple[str, ...] = ()) -> bytes:
    """The letter as PDF bytes. Values are checked against the template (ValidationError naming the field);
    fields left empty that the organisation file has a default for (objection address, phone) get it.

    The template and policy versions go into the PDF's metadata (keywords), never into the parent's text."""
    register_fonts()
    context = {"reference": reference, "case_reference": case_reference, "letter_date": letter_date}
    blocks = render_blocks(template, with_defaults(template, values), context)
    buf = io.BytesIO()
    doc = _Letter(buf, template=template, reference=reference, case_reference=case_reference,
                  letter_date=letter_date, recipient_lines=recipient_lines)
    doc.keywords = f"sjabloon {template.id} v{template.version}; regels: {', '.join(policy_versions) or '-'}"
    footer = f"Zaaknummer {case_reference} · Kenmerk {reference}"
    doc.build(flowables(blocks, WIDTH),
              canvasmaker=lambda *a, **kw: NumberedCanvas(*a, footer=footer, draft=draft, **kw))
    return buf.getvalue()
