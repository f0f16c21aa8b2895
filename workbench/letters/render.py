"""Render a filled-in template to an A4 PDF with reportlab Platypus: embedded DejaVu fonts, window-envelope
address block, kenmerk/datum/onderwerp, case reference and "pagina x van y" on every page, CONCEPT watermark."""

from __future__ import annotations

import datetime as dt
import io
from functools import cache
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from workbench.dates import dutch_date
from workbench.letters.templates import Block, Template, escape, render_blocks
from workbench.resources import resource_path

SENDER = "Uitvoeringsorganisatie Herstel Toeslagen"
FONT, BOLD = "DejaVuSans", "DejaVuSans-Bold"
PAGE_W, PAGE_H = A4
LEFT, RIGHT = 22 * mm, 20 * mm
ADDRESS_TOP = 50 * mm  # window envelope: the address window starts about 50 mm from the top, on the left
BODY_TOP_FIRST = 112 * mm


@cache
def register_fonts() -> None:
    pdfmetrics.registerFont(TTFont(FONT, str(resource_path("fonts", "DejaVuSans.ttf"))))
    pdfmetrics.registerFont(TTFont(BOLD, str(resource_path("fonts", "DejaVuSans-Bold.ttf"))))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)


@cache
def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("para", fontName=FONT, bulletFontName=FONT, fontSize=10.5, leading=15, spaceAfter=7)
    return {
        "para": base,
        "heading": ParagraphStyle("heading", parent=base, fontName=BOLD, fontSize=11.5, leading=15, spaceBefore=8,
                                  spaceAfter=4),
        "cell": ParagraphStyle("cell", parent=base, spaceAfter=0, leading=13.5, fontSize=10),
        "cell_bold": ParagraphStyle("cell_bold", parent=base, fontName=BOLD, spaceAfter=0, leading=13.5,
                                    fontSize=10),
        "clause": ParagraphStyle("clause", parent=base, spaceAfter=0),
        "bullet": ParagraphStyle("bullet", parent=base, leftIndent=14, bulletIndent=2, spaceAfter=3),
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10, textColor=colors.HexColor("#555555")),
        "subject": ParagraphStyle("subject", parent=base, fontName=BOLD, fontSize=11, leading=14),
    }


def _table(text: str, width: float) -> Flowable:
    st = _styles()
    rows: list[list[Paragraph]] = []
    bold_rows: list[int] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        bold = line.startswith("=")
        cells = (line[1:] if bold else line).split("|")
        style = st["cell_bold"] if bold else st["cell"]
        right = ParagraphStyle("right", parent=style, alignment=2)
        rows.append([Paragraph(cells[0].strip(), style),
                     Paragraph("|".join(cells[1:]).strip(), right if _is_amount(cells) else style)])
        if bold:
            bold_rows.append(len(rows) - 1)
    split = [line.lstrip("=").split("|") for line in text.splitlines() if line.strip()]
    wide = any(_is_amount(r) for r in split) or max((len(r[0]) for r in split), default=0) > 24
    first = width * 0.68 if wide else 45 * mm
    table = Table(rows, colWidths=[first, width - first], hAlign="LEFT")
    commands: list[Any] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#BBBBBB")),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
    ]
    commands += [("BACKGROUND", (0, r), (-1, r), colors.HexColor("#EEF1F5")) for r in bold_rows]
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), *commands]))
    return table


def _is_amount(cells: list[str]) -> bool:
    return len(cells) > 1 and "€" in cells[-1]


def _flowables(blocks: list[Block], width: float) -> list[Flowable]:
    st = _styles()
    out: list[Flowable] = []
    for block in blocks:
        if block.style == "table":
            out += [_table(block.text, width), Spacer(1, 8)]
        elif block.style == "bullets":
            out += [Paragraph(item.strip(), st["bullet"], bulletText="•")
                    for item in block.text.splitlines() if item.strip()]
            out.append(Spacer(1, 4))
        elif block.style == "clause":
            box = Table([[Paragraph(block.text.replace("\n", "<br/>"), st["clause"])]], colWidths=[width])
            box.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT),
                                     ("BOX", (0, 0), (-1, -1), 0.8, colors.HexColor("#335577")),
                                     ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#F4F7FA")),
                                     ("LEFTPADDING", (0, 0), (-1, -1), 8), ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                                     ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 8)]))
            out += [KeepTogether([box]), Spacer(1, 10)]
        elif block.style == "heading":
            out += [CondPageBreak(35 * mm), Paragraph(block.text, st["heading"])]
        else:
            out += [Paragraph(part.strip().replace("\n", "<br/>"), st["para"])
                    for part in block.text.split("\n\n") if part.strip()]
    return out


def _canvas_class(footer: str, draft: bool) -> type[Canvas]:
    class NumberedCanvas(Canvas):  # type: ignore[misc]
        """Keeps each page until the end, so every page can say "pagina x van y"."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs["initialFontName"] = FONT  # never let the base-14 Helvetica into the file
            super().__init__(*args, **kwargs)
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
            self.setFillColor(colors.HexColor("#444444"))
            self.drawString(LEFT, 12 * mm, footer)
            self.drawRightString(PAGE_W - RIGHT, 12 * mm, f"pagina {number} van {total}")
            if draft:
                self.setFont(BOLD, 110)
                self.setFillColor(colors.Color(0.6, 0.6, 0.6, alpha=0.25))
                self.translate(PAGE_W / 2, PAGE_H / 2)
                self.rotate(45)
                self.drawCentredString(0, -35, "CONCEPT")
            self.restoreState()

    return NumberedCanvas


def render_pdf(template: Template, values: dict[str, Any], *, reference: str, case_reference: str,
               letter_date: dt.date, recipient_lines: list[str], draft: bool) -> bytes:
    """The letter as PDF bytes. Values are checked against the template (ValidationError naming the field)."""
    register_fonts()
    context = {"reference": reference, "case_reference": case_reference, "letter_date": letter_date}
    blocks = render_blocks(template, values, context)
    st = _styles()
    width = PAGE_W - LEFT - RIGHT
    buf = io.BytesIO()
    doc = BaseDocTemplate(buf, pagesize=A4, leftMargin=LEFT, rightMargin=RIGHT, topMargin=25 * mm,
                          bottomMargin=22 * mm, title=template.title, author=SENDER,
                          subject=f"{template.subject} ({case_reference})", creator="Zaakwerkbank",
                          invariant=1, lang="nl-NL")

    def first_page(canvas: Canvas, _doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(BOLD, 11)
        canvas.drawRightString(PAGE_W - RIGHT, PAGE_H - 20 * mm, SENDER)
        canvas.setFont(FONT, 8)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(LEFT, PAGE_H - ADDRESS_TOP + 4 * mm, f"Afzender: {SENDER}")
        canvas.setFillColor(colors.black)
        canvas.setFont(FONT, 10.5)
        y = PAGE_H - ADDRESS_TOP - 4 * mm
        for line in recipient_lines[:6]:
            canvas.drawString(LEFT, y, line)
            y -= 5 * mm
        meta = Table(
            [[Paragraph("Datum", st["small"]), Paragraph("Ons kenmerk", st["small"]),
              Paragraph("Zaaknummer", st["small"])],
             [Paragraph(escape(dutch_date(letter_date)), st["cell"]), Paragraph(escape(reference), st["cell"]),
              Paragraph(escape(case_reference), st["cell"])]],
            colWidths=[42 * mm, 78 * mm, 48 * mm], hAlign="LEFT")
        meta.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT),
                                  ("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
                                  ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
        _w, meta_h = meta.wrapOn(canvas, width, 30 * mm)
        meta.drawOn(canvas, LEFT, PAGE_H - 86 * mm - meta_h)
        subject = Paragraph(f"Onderwerp: {escape(template.subject)}", st["subject"])
        _w, h = subject.wrapOn(canvas, width, 20 * mm)
        subject.drawOn(canvas, LEFT, PAGE_H - 86 * mm - meta_h - 5 * mm - h)
        canvas.restoreState()

    def later_page(canvas: Canvas, _doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.setFillColor(colors.HexColor("#444444"))
        canvas.drawRightString(PAGE_W - RIGHT, PAGE_H - 15 * mm, f"{SENDER} · {dutch_date(letter_date)}")
        canvas.restoreState()

    first_frame = Frame(LEFT, doc.bottomMargin, width, PAGE_H - BODY_TOP_FIRST - doc.bottomMargin, id="first",
                        leftPadding=0, rightPadding=0, topPadding=0)
    later_frame = Frame(LEFT, doc.bottomMargin, width, PAGE_H - doc.topMargin - doc.bottomMargin, id="later",
                        leftPadding=0, rightPadding=0, topPadding=0)
    doc.addPageTemplates([PageTemplate("first", [first_frame], onPage=first_page, autoNextPageTemplate="later"),
                          PageTemplate("later", [later_frame], onPage=later_page)])
    footer = f"Zaaknummer {case_reference} · Kenmerk {reference}"
    doc.build(_flowables(blocks, width), canvasmaker=_canvas_class(footer, draft))
    return buf.getvalue()
