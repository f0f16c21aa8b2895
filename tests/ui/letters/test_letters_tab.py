"""The Brieven tab: letters with their status in Dutch, submit with the content check, send, copies audited."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from sqlalchemy import select, update

from tests.helpers.factories import dutch_day
from tests.ui.conftest import PASS, run
from tests.ui.keyboard import focused, mnemonic
from tests.ui.letters.conftest import DECISION, VISIT_DAY, LetterCase, decision, shot
from tests.ui.test_accessibility import unnamed_widgets
from ui.letters.letter_copies import print_document
from ui.letters.letter_viewer import LetterViewer
from ui.letters.letter_wizard import LetterWizard
from ui.letters.letters_panel import LettersPanel
from ui.letters.passphrase_dialog import PassphraseDialog
from workbench.audit.models import AuditEvent
from workbench.letters.models import Letter

ALT = Qt.KeyboardModifier.AltModifier
pytestmark = pytest.mark.qt_log_ignore(
    r"^This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)$")


def open_letters(qtbot: Any, window: Any, case_id: str) -> LettersPanel:
    from ui.cases.case_view import CaseView

    window.open_case(case_id)
    view = window.stack.currentWidget()
    assert isinstance(view, CaseView)
    qtbot.waitUntil(lambda: view.overview.loaded)
    view.activateWindow()
    qtbot.keyClick(focused(), Qt.Key.Key_5, ALT)
    panel = view.letters.panel
    assert isinstance(panel, LettersPanel) and panel.loaded
    return panel


def choose(panel: LettersPanel, letter_id: str) -> None:
    row = next(n for n, r in enumerate(panel.model.rows()) if r.id == letter_id)
    panel.table.setCurrentIndex(panel.model.index(row, 0))


def audit(window: Any, verb: str, letter_id: str) -> list[AuditEvent]:
    return run(window, lambda ws, uow: list(uow.session.scalars(
        select(AuditEvent).where(AuditEvent.verb == verb, AuditEvent.entity_id == letter_id))))


def status(window: Any, letter_id: str) -> str:
    return run(window, lambda ws, uow: ws.letters.get(uow, letter_id).status)


def test_the_tab_lists_every_state_in_dutch_and_enables_what_fits(qtbot: Any, window: Any,
                                                                   letters: LetterCase) -> None:
    panel = open_letters(qtbot, window, letters.case_id)
    assert focused() is panel.table
    texts = {r.id: panel.model.index(n, 1).data() for n, r in enumerate(panel.model.rows())}
    assert texts == {letters.ids["draft"]: "Concept", letters.ids["in_review"]: "Ter controle",
                     letters.ids["approved"]: "Goedgekeurd", letters.ids["issued"]: "Verstuurd",
                     letters.ids["rejected"]: "Concept · afgekeurd: Zet het telefoonnummer van de pzb'er erbij."}
    expect = {"draft": (True, False), "rejected": (True, False), "in_review": (False, False),
              "approved": (False, True), "issued": (False, False)}
    for name, (submit, issue) in expect.items():
        choose(panel, letters.ids[name])
        assert (panel.submit_button.isEnabled(), panel.issue_button.isEnabled()) == (submit, issue), name
        assert panel.print_button.isEnabled() and panel.save_copy_button.isEnabled()
    choose(panel, letters.ids["rejected"])
    assert "afgekeurd: Zet het telefoonnummer" in panel.detail.text()
    assert unnamed_widgets(panel) == []
    choose(panel, letters.ids["approved"])
    qtbot.wait(300)  # QPdfView draws its pages in the background
    shot(window, "tab")


def test_submit_shows_the_content_check_message_naming_the_field(qtbot: Any, window: Any,
                                                                 letters: LetterCase) -> None:
    case_id = letters.case_id

    def create(ws: Any, uow: Any) -> Any:
        values, facts = decision(uow, case_id)
        return ws.letters.create_draft(uow, case_id, template_id=DECISION, values=values, facts=facts)

    info = run(window, create)
    # A draft made under an older template version, without the motivation the content check requires.
    def strip(ws: Any, uow: Any) -> None:
        values = dict(uow.session.get(Letter, info.id).field_values)
        values["motivation"] = ""
        uow.session.execute(update(Letter).where(Letter.id == info.id).values(field_values=values))

    run(window, strip)
    panel = open_letters(qtbot, window, case_id)
    choose(panel, info.id)
    mnemonic(qtbot, Qt.Key.Key_C)
    qtbot.waitUntil(lambda: panel.notice.isVisible())
    assert panel.notice.text() == ("Motivering is verplicht. Vul het veld ‘Motivering’ aan via "
                                   "Openen / bewerken.")
    assert status(window, info.id) == "draft"
    choose(panel, letters.ids["draft"])
    panel.submit_button.click()
    qtbot.waitUntil(lambda: status(window, letters.ids["draft"]) == "in_review")
    assert next(r for r in panel.model.rows() if r.id == letters.ids["draft"]).status == "in_review"


def test_sending_asks_the_passphrase_again(qtbot: Any, window: Any, letters: LetterCase) -> None:
    panel = open_letters(qtbot, window, letters.case_id)
    approved = letters.ids["approved"]
    choose(panel, approved)
    mnemonic(qtbot, Qt.Key.Key_S)
    dialog = panel.passphrase
    assert isinstance(dialog, PassphraseDialog)
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.passphrase.hasFocus()
    qtbot.keyClicks(dialog.passphrase, "niet het wachtwoord")
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.message.isVisible()
    assert status(window, approved) == "approved"
    shot(dialog, "passphrase")
    qtbot.keyClicks(dialog.passphrase, PASS)
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert status(window, approved) == "issued"
    assert next(r for r in panel.model.rows() if r.id == approved).status == "issued"
    assert panel.detail.text() == "De brief is verstuurd en vastgelegd."


def test_saving_and_printing_a_copy_are_audited(qtbot: Any, window: Any, letters: LetterCase,
                                                tmp_path: Path) -> None:
    panel = open_letters(qtbot, window, letters.case_id)
    issued = letters.ids["issued"]
    choose(panel, issued)
    asked: list[str] = []
    panel.copier.choose_file = lambda _parent, name: (asked.append(name), str(tmp_path / "kopie"))[1]
    mnemonic(qtbot, Qt.Key.Key_P)
    qtbot.waitUntil(lambda: (tmp_path / "kopie.pdf").exists())
    assert asked and asked[0].endswith(f"BR-{issued[:8].upper()}.pdf")
    stored = run(window, lambda ws, uow: ws.letters.preview(uow, issued))
    assert (tmp_path / "kopie.pdf").read_bytes() == stored
    assert len(audit(window, "export", issued)) == 1
    assert (tmp_path / "kopie.pdf").stat().st_mode & 0o777 == 0o600  # not encrypted: owner only, and said so
    assert panel.detail.text().endswith("Let op: dit bestand is niet versleuteld.")

    printed = tmp_path / "afdruk.pdf"

    def to_pdf_printer(_parent: Any, pdf: bytes) -> bool:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed))
        return print_document(printer, pdf) == len(PdfReader(printed.parent / "kopie.pdf").pages)

    panel.copier.print_pdf = to_pdf_printer
    mnemonic(qtbot, Qt.Key.Key_A)
    qtbot.waitUntil(lambda: len(audit(window, "print", issued)) == 2)  # the issue itself, then this copy
    assert len(PdfReader(printed).pages) == len(PdfReader(tmp_path / "kopie.pdf").pages)
    assert audit(window, "print", issued)[-1].detail.startswith("kopie afgedrukt; sha256=")

    panel.copier.choose_file = lambda _parent, _name: None  # cancelled: nothing written, nothing audited
    panel.save_copy_button.click()
    assert len(audit(window, "export", issued)) == 1


def test_opening_a_draft_edits_it_and_a_sent_letter_shows_its_pdf(qtbot: Any, window: Any,
                                                                  letters: LetterCase) -> None:
    panel = open_letters(qtbot, window, letters.case_id)
    choose(panel, letters.ids["issued"])
    assert panel.open_button.text() == "&Openen…"
    qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    viewer = panel.viewer
    assert isinstance(viewer, LetterViewer)
    qtbot.waitUntil(lambda: viewer.preview.page_count() > 0)
    viewer.reject()
    choose(panel, letters.ids["draft"])
    assert panel.open_button.text() == "&Openen / bewerken…"
    qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    wizard = panel.wizard
    assert isinstance(wizard, LetterWizard) and wizard.letter_id == letters.ids["draft"]
    assert wizard.form is not None and wizard.form.values()["visit_time"] == "10.00 uur"
    assert wizard.form.values()["visit_date"] == dutch_day(VISIT_DAY)
    wizard.reject()


def test_a_case_without_letters_says_so(qtbot: Any, window: Any) -> None:
    case_id = run(window, lambda ws, uow: ws.search.cases(uow, "UHT", limit=3)[2].case_id)
    panel = open_letters(qtbot, window, case_id)
    assert panel.list_stack.currentWidget() is panel.message and focused() is panel.message
    assert not panel.open_button.isEnabled() and panel.new_button.isEnabled()
