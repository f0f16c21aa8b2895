"""The caseload report: PDF text and fonts, charts rendered to PNG for a look, CSV, the audited export."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from tests.helpers.factories import TEST_BSNS
from tests.workbench.caseload.conftest import TODAY, TeamData
from workbench.audit.models import AuditEvent
from workbench.caseload.service import CaseloadService
from workbench.errors import ValidationError
from workbench.store.unit_of_work import Store

ARTIFACTS = Path(__file__).resolve().parents[3] / "artifacts" / "caseload"


def _export(store: Store, team: TeamData, kind: str) -> bytes:
    with store.unit_of_work(team.lead) as uow:
        return CaseloadService().export_report(uow, kind=kind, today=TODAY)  # type: ignore[arg-type]


def test_pdf_holds_the_handlers_and_their_figures_and_no_bsn(store: Store, team: TeamData) -> None:
    pdf = _export(store, team, "pdf")
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())
    for name in ("Anna Bakker", "Bram de Vries", "Lotte Leiding", "Team Noord"):
        assert name in text
    assert "40% (2/5)" in text  # Anna's reliability with its counts
    assert "laptop-anna: 9 d telefoon-anna: nooit" in text
    assert "1 beslissing over de termijn 1 acute zaak 1 toezegging te laat + 8 andere" in text
    assert "2 apparaten achter met synchroniseren" in text
    assert "Peildatum 29-11-2026" in text
    assert "3 apparaten, 2 achter" in text  # the team row counts devices instead of listing them
    assert "Olga Elders" not in text
    for bsn in TEST_BSNS:
        assert bsn not in text and bsn.encode() not in pdf
    assert "Ouder0" not in text  # no parent names either


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils (pdffonts) not installed")
def test_pdf_fonts_are_embedded(store: Store, team: TeamData, tmp_path: Path) -> None:
    path = tmp_path / "caseload.pdf"
    path.write_bytes(_export(store, team, "pdf"))
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]
    assert rows and all(" yes " in row for row in rows), out
    assert all("DejaVu" in row for row in rows), out


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) not installed")
def test_pdf_pages_render_to_png(store: Store, team: TeamData) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("caseload-team-*.png"):
        old.unlink()
    pdf = ARTIFACTS / "caseload-team.pdf"
    pdf.write_bytes(_export(store, team, "pdf"))
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf), str(ARTIFACTS / "caseload-team")], check=True)
    assert len(list(ARTIFACTS.glob("caseload-team-*.png"))) == len(PdfReader(pdf).pages) >= 2


def test_csv_has_a_row_per_handler_and_a_team_row(store: Store, team: TeamData) -> None:
    text = _export(store, team, "csv").decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert [r["Behandelaar"] for r in rows] == ["Anna Bakker", "Bram de Vries", "Lotte Leiding", "Team Noord"]
    anna, bram, team_row = rows[0], rows[1], rows[3]
    assert anna["Open zaken"] == "3" and anna["Op tijd nagekomen (%)"] == "40"
    assert anna["Dagen sinds contact (mediaan)"] == "40"
    assert anna["Laatste synchronisatie, minst recente apparaat (dagen geleden)"] == "nooit"
    assert bram["Op tijd nagekomen (%)"] == "" and bram["Dagen sinds contact (mediaan)"] == "5"
    assert team_row["Open zaken"] == "5" and team_row["Peildatum"] == "29-11-2026"
    assert not any(bsn in text for bsn in TEST_BSNS)


def test_exports_are_audited_and_a_bad_kind_names_the_field(store: Store, team: TeamData) -> None:
    _export(store, team, "csv")
    _export(store, team, "pdf")
    with store.unit_of_work(team.lead) as uow:
        details = uow.session.scalars(select(AuditEvent.detail).where(AuditEvent.verb == "export")).all()
        with pytest.raises(ValidationError) as err:
            CaseloadService().export_report(uow, kind="xls", today=TODAY)  # type: ignore[arg-type]
    assert details == ["csv, 3 behandelaars, peildatum 2026-11-29", "pdf, 3 behandelaars, peildatum 2026-11-29"]
    assert err.value.field == "kind"


def test_a_handler_exports_only_their_own_row(store: Store, team: TeamData) -> None:
    with store.unit_of_work(team.bram) as uow:
        text = CaseloadService().export_report(uow, kind="csv", today=TODAY).decode("utf-8")
    assert [r["Behandelaar"] for r in csv.DictReader(io.StringIO(text), delimiter=";")] == ["Bram de Vries"]
