"""Table models of the Brieven tab and the Te beoordelen page: letters as Dutch text, status in words."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QObject

from ui.widgets.row_table_model import Column, RowTableModel
from workbench.i18n import _
from workbench.letters.queries import LetterRow, ReviewRow
from workbench.local_time import moment_text

STATUS = {"draft": "Concept", "in_review": "Ter controle", "approved": "Goedgekeurd", "issued": "Verstuurd"}
KIND = {"letter": "Brief", "beschikking": "Beschikking"}
BRIEF = 2  # the review queue's letter column: it takes the spare room


def moment(at: dt.datetime | None) -> str:
    """A UTC moment as the handler reads it: dd-mm-jjjj uu:mm, Dutch time."""
    return moment_text(at)


def status_text(row: LetterRow) -> str:
    """The status in words; a draft that came back from review says so, with the reviewer's comment."""
    if row.status == "draft" and row.review_comment:
        return f"Concept · afgekeurd: {row.review_comment}"
    return STATUS.get(row.status, row.status)


def approved_text(row: ReviewRow) -> str:
    """What the reviewer reads once their approval is recorded."""
    return _("Brief goedgekeurd: ‘{title}’ voor {parent} (zaak {case}).").format(
        title=row.template_title, parent=row.parent_name, case=row.case_reference)


def when_text(row: LetterRow) -> str:
    """When it was sent, else when it last changed."""
    return f"verstuurd {moment(row.issued_at)}" if row.issued_at else f"gewijzigd {moment(row.updated_at)}"


def letter_model(parent: QObject | None = None) -> RowTableModel:
    """A case's letters; rejected drafts are drawn in the warning colour (their text says why).

    The status column (1) holds the reviewer's comment too, so it is the one that stretches.
    """
    columns = (Column("Brief", lambda r: r.template_title), Column("Status", status_text),
               Column("Geschreven door", lambda r: r.author_name),
               Column("Goedgekeurd door", lambda r: r.reviewer_name), Column("Wanneer", when_text),
               Column("Kenmerk", lambda r: r.reference))
    return RowTableModel(columns, warn=lambda r: r.status == "draft" and bool(r.review_comment), parent=parent)


def review_model(parent: QObject | None = None) -> RowTableModel:
    """The letters waiting for review, oldest first."""
    columns = (Column("Zaak", lambda r: r.case_reference), Column("Ouder", lambda r: r.parent_name),
               Column("Brief", lambda r: r.template_title),
               Column("Aangeboden door", lambda r: f"{r.author_name}, {moment(r.submitted_at)}",
                      sort_key=lambda r: r.submitted_at))
    return RowTableModel(columns, parent=parent)


__all__ = ["BRIEF", "KIND", "STATUS", "LetterRow", "ReviewRow", "letter_model", "moment", "review_model", "status_text",
           "when_text"]
