"""Filled-in template blocks as reportlab Platypus flowables: paragraphs, tables, bullets, the boxed clause, signature.

Styles are built once per process. Paragraphs (Para) reuse their parsed and line-broken form across letters;
tables of plain text are drawn as light Rows (rows.py), with Platypus' Table kept for cells with markup.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from workbench.letters.rows import Rows, make_row
from workbench.letters.templates import Block, escape

FONT, BOLD = "DejaVuSans", "DejaVuSans-Bold"
CELL_SIZE, CELL_LEADING, CELL_PAD = 10, 13.5, 4
# room a heading needs below it (itself and about three lines), else it starts on the next page
HEADING_ROOM = 35 * mm
# room a table group needs (its header and two rows); a group that does not fit whole splits between rows
GROUP_ROOM = 25 * mm
GROUP_BACKGROUND = colors.HexColor("#EEF1F5")
RULE = colors.HexColor("#BBBBBB")
_UNESCAPE = (("&lt;", "<"), ("&gt;", ">"), ("&#124;", "|"), ("&amp;", "&"))
# a date ("21 maart 2027") or an amount ("€ 30.000,00") is never broken over two lines
_UNBREAKABLE = re.compile(r"\b\d{1,2} (?:januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|"
                          r"november|december) \d{4}\b|€ (?=\d)")


def _keep_whole(text: str) -> str:
    return _UNBREAKABLE.sub(lambda m: m.group(0).replace(" ", "\u00a0"), text)


class Para(Paragraph):  # type: ignore[misc]
    """A Paragraph that parses and breaks its text into lines once per process, not once per letter.

    Most of a letter is the template's own wording, the same in every letter, and parsing plus line breaking
    were half of a render. A `fixed` paragraph (template wording only, never a value: no parent's data is kept
    between letters) with one of our styles takes its fragments from `_parsed` and its lines, for a given width,
    from `_broken`; both are pure functions of (text, style, bullet, width).
    Platypus also wraps one paragraph several times at the same width (KeepTogether measures first), which the
    per-object `_wrapped` answers. Split parts are made from fragments, not text, and wrap the usual way.
    """

    _key: tuple[str, str, str | None] | None = None
    _wrapped: tuple[float, float, float] | None = None

    def __init__(self, text: str | None, style: ParagraphStyle, bulletText: str | None = None, *, fixed: bool = False,
                 **kwargs: Any) -> None:
        # Only the template's own wording is kept between letters: text with a parent's data never is.
        self._fixed = fixed
        super().__init__(text, style, bulletText, **kwargs)

    def _setup(self, text: str | None, style: ParagraphStyle, bulletText: Any, frags: Any, cleaner: Any) -> None:
        name = style.name
        if self._fixed and frags is None and text is not None and isinstance(bulletText, str | None) \
                and isinstance(name, str) and styles().get(name) is style:
            self._key = (text, name, bulletText)
            text, style, frags, bulletText = _parsed(text, name, bulletText)
            frags = list(frags)
        super()._setup(text, style, bulletText, frags, cleaner)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self._wrapped is not None and self._wrapped[0] == availWidth:
            return self._wrapped[1], self._wrapped[2]
        if self._key is not None and availWidth >= _FUZZ:
            state = _broken(*self._key, availWidth)
            self.__dict__.update(state)
            width, height = state["width"], state["height"]
        else:
            width, height = super().wrap(availWidth, availHeight)
        self._wrapped = (availWidth, width, height)
        return width, height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts: list[Flowable] = super().split(availWidth, availHeight)
        if "blPara" not in self.__dict__:
            self._wrapped = None  # a refused split drops the lines: the next page must wrap afresh
        return parts

    def _wrap_fresh(self, availWidth: float) -> dict[str, Any]:
        super().wrap(availWidth, 0x7FFFFFFF)
        return {name: getattr(self, name) for name in _WRAP_STATE if hasattr(self, name)}


# what Paragraph.wrap and breakLines leave on the paragraph; drawing and splitting only read them
_WRAP_STATE = ("width", "height", "_wrapWidths", "blPara", "_width_max", "_splitLongWordCount", "_hyphenations")
_FUZZ = 1e-6


@lru_cache(maxsize=2048)
def _parsed(text: str, style_name: str, bullet: str | None) -> tuple[str, ParagraphStyle, tuple[Any, ...], Any]:
    """Paragraph markup parsed into reportlab fragments; the fragments are only read when lines are broken."""
    para = Paragraph(text, styles()[style_name], bulletText=bullet)
    return para.text, para.style, tuple(para.frags), para.bulletText


@lru_cache(maxsize=4096)
def _broken(text: str, style_name: str, bullet: str | None, width: float) -> dict[str, Any]:
    """The paragraph's lines at `width`, with the rest of what wrapping leaves on a paragraph."""
    return Para(text, styles()[style_name], bulletText=bullet, fixed=True)._wrap_fresh(width)


@cache
def styles() -> dict[str, ParagraphStyle]:
    """The paragraph styles of every letter, made once per process."""
    base = ParagraphStyle("para", fontName=FONT, bulletFontName=FONT, fontSize=10.5, leading=15, spaceAfter=7)
    cell = ParagraphStyle("cell", parent=base, spaceAfter=0, leading=CELL_LEADING, fontSize=CELL_SIZE)
    return {
        "para": base,
        "heading": ParagraphStyle("heading", parent=base, fontName=BOLD, fontSize=11.5, leading=15, spaceBefore=8,
                                  spaceAfter=4),
        "cell": cell,
        "cell_bold": ParagraphStyle("cell_bold", parent=cell, fontName=BOLD),
        "cell_right": ParagraphStyle("cell_right", parent=cell, alignment=2),
        "cell_bold_right": ParagraphStyle("cell_bold_right", parent=cell, fontName=BOLD, alignment=2),
        "clause": ParagraphStyle("clause", parent=base, spaceAfter=0),
        "bullet": ParagraphStyle("bullet", parent=base, leftIndent=14, bulletIndent=2, spaceAfter=3),
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10, textColor=colors.HexColor("#555555")),
        "subject": ParagraphStyle("subject", parent=base, fontName=BOLD, fontSize=11, leading=14),
    }


@cache
def _clause_style() -> TableStyle:
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT),
                       ("BOX", (0, 0), (-1, -1), 0.8, colors.HexColor("#335577")),
                       ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#F4F7FA")),
                       ("LEFTPADDING", (0, 0), (-1, -1), 8), ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                       ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 8)])


def _is_amount(cells: list[str]) -> bool:
    return len(cells) > 1 and "€" in cells[-1]


def _plain(text: str) -> str | None:
    """The text without our escapes when it has no markup (it round-trips through escape()), else None."""
    plain = text
    for escaped, char in _UNESCAPE:
        plain = plain.replace(escaped, char)
    return plain if escape(plain) == text else None


def _cell(text: str, *, bold: bool, right: bool, width: float) -> Para | str:
    """Plain text (no markup) as a string broken into lines here; text with markup as a wrapping Paragraph."""
    plain = _plain(text)
    if plain is not None:
        font, room = BOLD if bold else FONT, width - 2 * CELL_PAD
        if stringWidth(plain, font, CELL_SIZE) <= room:
            return plain
        return "\n".join(simpleSplit(plain, font, CELL_SIZE, room))
    st = styles()
    name = ("cell_bold" if bold else "cell") + ("_right" if right else "")
    return Para(text, st[name])


def _table_rows(text: str) -> list[tuple[bool, list[str]]]:
    rows = []
    for line in text.splitlines():
        if line.strip():
            bold = line.startswith("=")
            rows.append((bold, (line[1:] if bold else line).split("|")))
    return rows


def _table(text: str, width: float) -> list[Flowable]:
    """One table per group: a bold row with an empty second cell starts a group (a toeslagjaar). A group starts
    on the next page unless its header and two rows fit, and when it splits its header is printed again on top
    of the next page. The groups share column widths, so they read as one table."""
    rows = _table_rows(text)
    wide = any(_is_amount(cells) for _b, cells in rows) or max((len(c[0]) for _b, c in rows), default=0) > 24
    first = width * 0.68 if wide else 45 * mm
    groups: list[list[tuple[bool, list[str]]]] = []
    for bold, cells in rows:
        starts_group = bold and not "|".join(cells[1:]).strip()
        if starts_group or not groups:
            groups.append([])
        groups[-1].append((bold, cells))
    out: list[Flowable] = []
    for group in groups:
        header = bool(group[0][0] and not "|".join(group[0][1][1:]).strip())
        out.append(CondPageBreak(GROUP_ROOM))
        light = _light_rows(group, (first, width - first), header)
        out.append(light if light is not None else _platypus_table(group, first, width, header))
    return out


def _light_rows(group: list[tuple[bool, list[str]]], widths: tuple[float, float], header: bool) -> Rows | None:
    """The group as light Rows when every cell is plain text; None when a cell has markup."""
    rows = []
    for bold, cells in group:
        left, right = _plain(cells[0].strip()), _plain("|".join(cells[1:]).strip())
        if left is None or right is None:
            return None
        rows.append(make_row(left, right, bold=bold, align_right=_is_amount(cells), widths=widths,
                             fonts=(FONT, BOLD), size=CELL_SIZE))
    return Rows(tuple(rows), widths=widths, fonts=(FONT, BOLD), size=CELL_SIZE, leading=CELL_LEADING,
                shade=GROUP_BACKGROUND, rule=RULE, header=header)


def _platypus_table(group: list[tuple[bool, list[str]]], first: float, width: float, header: bool) -> Table:
    """A group with markup in a cell, as a Platypus Table (Paragraph cells where needed)."""
    data: list[list[Para | str]] = []
    commands: list[Any] = [
        ("FONTNAME", (0, 0), (-1, -1), FONT), ("FONTSIZE", (0, 0), (-1, -1), CELL_SIZE),
        ("LEADING", (0, 0), (-1, -1), CELL_LEADING), ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD), ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
    ]
    for i, (bold, cells) in enumerate(group):
        right = _is_amount(cells)
        data.append([_cell(cells[0].strip(), bold=bold, right=False, width=first),
                     _cell("|".join(cells[1:]).strip(), bold=bold, right=right, width=width - first)])
        if bold:
            commands += [("BACKGROUND", (0, i), (-1, i), GROUP_BACKGROUND), ("FONTNAME", (0, i), (-1, i), BOLD)]
        if right:
            commands.append(("ALIGN", (1, i), (1, i), "RIGHT"))
    table = Table(data, colWidths=[first, width - first], hAlign="LEFT", repeatRows=1 if header else 0)
    table.setStyle(TableStyle(commands))
    return table


def _paragraphs(block: Block, style: ParagraphStyle) -> list[Flowable]:
    return [Para(_keep_whole(part.strip().replace("\n", "<br/>")), style, fixed=block.fixed)
            for part in block.text.split("\n\n") if part.strip()]


def flowables(blocks: list[Block], width: float) -> list[Flowable]:
    """The body of a letter; the objection clause stays with its heading and the signature block is never split."""
    st = styles()
    out: list[Flowable] = []
    for i, block in enumerate(blocks):
        if block.style == "table":
            out += [*_table(block.text, width), Spacer(1, 8)]
        elif block.style == "bullets":
            out += [Para(_keep_whole(item.strip()), st["bullet"], bulletText="•", fixed=block.fixed)
                    for item in block.text.splitlines() if item.strip()]
            out.append(Spacer(1, 4))
        elif block.style == "clause":
            clause = Para(_keep_whole(block.text.replace("\n", "<br/>")), st["clause"], fixed=block.fixed)
            box = Table([[clause]], colWidths=[width])
            box.setStyle(_clause_style())
            heading = out.pop() if i and blocks[i - 1].style == "heading" else None
            out += [KeepTogether([heading, box] if heading else [box]), Spacer(1, 10)]
        elif block.style == "signature":
            out.append(KeepTogether(_paragraphs(block, st["para"])))
        elif block.style == "heading":
            out += [CondPageBreak(HEADING_ROOM), Para(block.text, st["heading"], fixed=block.fixed)]
        else:
            out += _paragraphs(block, st["para"])
    return out
