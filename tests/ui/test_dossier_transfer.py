"""Export and import from the window: background tasks with progress; Cancel keeps nothing."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers.dossiers import with_story
from tests.ui.conftest import save_screenshot
from workbench.progress import CancelToken


def _case_and_story_count(window) -> tuple[str, int]:  # type: ignore[no-untyped-def]
    out: list[tuple[str, int]] = []

    def work(ws, uow):  # type: ignore[no-untyped-def]
        case_id = ws.search.cases(uow, "UHT", limit=1)[0].case_id
        return case_id, len(ws.story.timeline(uow, case_id))

    window.ctx.runner.run(work, done=out.append)
    return out[0]


def test_export_then_import_more_with_cancel_first(qtbot, window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    case_id, before = _case_and_story_count(window)
    window.open_case(case_id)
    exported = tmp_path / "dossier.json"
    window.transfer.export_to(case_id, exported)
    assert "geëxporteerd" in window.statusBar().currentMessage()
    assert exported.stat().st_mode & 0o077 == 0  # only the owner may read a plaintext copy
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert data["format"] == "zaakwerkbank-dossier" and len(data["story"]) == before

    bigger = tmp_path / "meer.json"
    bigger.write_text(json.dumps(with_story(data, 1200)), encoding="utf-8")
    cancelled = CancelToken()
    cancelled.cancel()
    window.transfer.import_from(bigger, cancel=cancelled)
    assert _case_and_story_count(window)[1] == before

    window.transfer.import_from(bigger)
    assert "ingelezen" in window.statusBar().currentMessage()
    assert _case_and_story_count(window)[1] == before + 1200


def test_a_bad_dossier_is_refused_naming_the_case_and_part_in_words(qtbot, window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    case_id, before = _case_and_story_count(window)
    exported = tmp_path / "dossier.json"
    window.transfer.export_to(case_id, exported)
    data = json.loads(exported.read_text(encoding="utf-8"))
    data["story"][1]["occurred_at"] = "2026-12-01T09:00:00"  # no time zone
    bad = tmp_path / "kapot.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    window.transfer.import_from(bad)
    boxes = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert len(boxes) == 1
    text = boxes[0].text()
    assert text == f"Zaak {data['case']['reference']}, verslag 2, moment: Tijdstip mist een tijdzone.", text
    save_screenshot(boxes[0], "import_refused")
    boxes[0].close()
    assert _case_and_story_count(window)[1] == before
