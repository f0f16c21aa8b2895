"""Export a rich case, import it on another device: identical data, idempotent, audited, all or nothing."""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import time
from typing import Any

import pytest
from sqlalchemy import select

from tests.helpers.dossiers import CORRECTION_LETTER, ORIGINAL_LETTER, PDF, rich_case, table_counts, with_story
from tests.helpers.factories import FixedClock, make_case
from workbench.audit import chain
from workbench.cases.service import CaseService
from workbench.dossier.export import comparable, dumps, export_case
from workbench.dossier.importer import ImportSummary, import_dossier
from workbench.dossier.reconcile import PLACEHOLDER_NAME
from workbench.errors import NotFound
from workbench.models import AuditEvent, OutboxEntry, StoryEntry, Team, User
from workbench.progress import Cancelled, CancelToken, NoProgress, Progress
from workbench.store.unit_of_work import Actor, Store
from workbench.story.service import StoryService


def _export(store: Store, actor: Actor, case_id: str) -> dict[str, Any]:
    with store.unit_of_work(actor) as uow:
        return export_case(uow, case_id)


def _import(store: Store, actor: Actor, data: dict[str, Any]) -> ImportSummary:
    with store.unit_of_work(actor) as uow:
        return import_dossier(uow, data, progress=NoProgress(), cancel=CancelToken())


@pytest.fixture
def source(store: Store, actor: Actor, clock: FixedClock) -> tuple[str, dict[str, Any]]:
    case_id = rich_case(store, actor, clock)
    return case_id, _export(store, actor, case_id)


def _row_count(data: dict[str, Any]) -> int:
    return 2 + sum(len(v) for k, v in data.items() if isinstance(v, list) and k != "access_log")


def test_export_holds_every_section_and_row(source: tuple[str, dict[str, Any]], actor: Actor) -> None:
    case_id, data = source
    assert data["format"] == "zaakwerkbank-dossier" and data["version"] == 1
    assert data["parent"]["bsn"] == "999990019"  # in full: it is the parent's own data
    assert {len(data[k]) for k in ("children", "story", "needs", "actions", "consents", "letters")} == {2, 3}
    assert len(data["phase_changes"]) == 3 and len(data["tracks"]) == 2 and len(data["ex_partners"]) == 1
    assert len(data["commitments"]) == 1 and len(data["commitment_status_changes"]) == 1
    assert len(data["disclosures"]) == 1
    assert [(p["kind"], p["amount_cents"], p["letter_id"]) for p in data["payments"]] == [
        ("catshuis", 3_000_000, ORIGINAL_LETTER), ("kindregeling", 1_000_000, None)]
    assert data["payments"][1]["recipient"] == next(c["id"] for c in data["children"] if c["voornamen"] == "Sem")
    assert sum(c["deleted_at"] is not None for c in data["children"]) == 1
    assert {s["rev"] for s in data["story"]} == {0, 7}
    assert all(set(row) >= {"id", "rev", "updated_at", "updated_by", "deleted_at"} for row in data["story"])
    issued = next(x for x in data["letters"] if x["id"] == ORIGINAL_LETTER)
    assert base64.b64decode(issued["pdf"]) == PDF and issued["pdf_sha256"] == hashlib.sha256(PDF).hexdigest()
    assert issued["field_values"] == {"bedrag_cent": 3_000_000, "regels": ["a", "b"]}
    assert [s["occurred_at"] for s in data["story"]] == sorted(s["occurred_at"] for s in data["story"])
    last = data["access_log"][-1]
    assert (last["verb"], last["entity"], last["entity_id"], last["user_id"]) == ("export", "case", case_id,
                                                                                   actor.user_id)
    assert [e["seq"] for e in data["access_log"]] == sorted(e["seq"] for e in data["access_log"])
    json.loads(dumps(data))


def test_export_is_deterministic_but_for_its_moment_and_access_log(
        store: Store, actor: Actor, clock: FixedClock, source: tuple[str, dict[str, Any]]) -> None:
    case_id, first = source
    clock.advance(minutes=10)
    second = _export(store, actor, case_id)
    assert dumps(comparable(first)) == dumps(comparable(second))
    assert second["exported_at"] != first["exported_at"]
    assert second["access_log"][:-1] == first["access_log"] and second["access_log"][-1]["verb"] == "export"


def test_round_trip_to_another_device_gives_the_same_dossier(
        source: tuple[str, dict[str, Any]], other_store: Store, other_actor: Actor) -> None:
    case_id, data = source
    summary = _import(other_store, other_actor, data)
    again = _export(other_store, other_actor, case_id)

    assert dumps(comparable(again)) == dumps(comparable(data))
    assert summary.written == _row_count(data) and summary.skipped == 0
    assert summary.placeholders == 3  # the source's handler, reviewer and team
    assert f"{summary.written} rijen nieuw" in str(summary)
    # The source's access log stays in the file: this device's chain holds only its own events.
    log = again["access_log"]
    source_seqs = {(e["at"], e["verb"], e["entity_id"]) for e in data["access_log"]}
    assert not source_seqs & {(e["at"], e["verb"], e["entity_id"]) for e in log}
    assert {e["user_id"] for e in log} == {other_actor.user_id}
    assert [e["verb"] for e in log[-2:]] == ["import", "export"]
    assert log[-2]["detail"] == f"{summary.written} rijen"
    # The parent's own rows (parent, children) are audited, but not under the case; a commitment's status
    # changes are, through their commitment (their model's case scope).
    with_case = {data["case"]["id"]} | {r["id"] for k, v in data.items() if k not in {"access_log", "case"}
                                        and isinstance(v, list) for r in v if "case_id" in r}
    with_case |= {r["id"] for r in data["commitment_status_changes"]}
    assert data["commitment_status_changes"]
    assert {e["entity_id"] for e in log if e["verb"] == "create"} == with_case
    with other_store.unit_of_work(other_actor) as uow:
        assert chain.verify(uow.session).ok
        outbox = uow.session.scalars(select(OutboxEntry)).all()
        stand_ins = uow.session.scalars(select(User).where(User.display_name == PLACEHOLDER_NAME)).all()
        team_names = set(uow.session.scalars(select(Team.name)))
    imported = [o for o in outbox if o.op == "insert" and o.entity not in {"user", "team"}]
    assert len(imported) == summary.written
    assert {o.base_rev for o in imported if o.entity == "story_entry"} == {0, 7}
    reviewer_id = next(x["reviewer_id"] for x in data["letters"] if x["reviewer_id"])
    assert {u.username for u in stand_ins} == {f"onbekend-{data['case']['handler_id'][:8]}",
                                               f"onbekend-{reviewer_id[:8]}"}
    assert "Onbekend team" in team_names
    # Stand-ins are not changes to share: sync brings the real users from central.
    assert not {o.row_id for o in outbox} & {u.id for u in stand_ins}


def test_importing_the_same_dossier_twice_changes_nothing_the_second_time(
        source: tuple[str, dict[str, Any]], other_store: Store, other_actor: Actor) -> None:
    _, data = source
    first = _import(other_store, other_actor, data)
    before = table_counts(other_store)
    second = _import(other_store, other_actor, data)
    after = table_counts(other_store)
    assert (second.written, second.skipped, second.placeholders) == (0, first.written, 0)
    assert {k: after[k] - before[k] for k in after if after[k] != before[k]} == {"audit_event": 1}
    with other_store.unit_of_work(other_actor) as uow:
        last = uow.session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1)).one()
    assert (last.verb, last.detail) == ("import", "0 rijen")


def test_reimporting_into_the_source_store_is_a_no_op(
        store: Store, actor: Actor, source: tuple[str, dict[str, Any]]) -> None:
    _, data = source
    summary = _import(store, actor, data)
    assert (summary.written, summary.placeholders) == (0, 0) and summary.skipped == _row_count(data)


def test_a_row_present_with_other_values_refuses_the_whole_dossier(
        source: tuple[str, dict[str, Any]], other_store: Store, other_actor: Actor) -> None:
    _, data = source
    _import(other_store, other_actor, data)
    changed = with_story(data, 3)
    changed["story"][1]["present"] = "Iemand anders"
    before = table_counts(other_store)
    with pytest.raises(Exception, match=r"^Zaak UHT-\d{4}-\d{6}, verslag 2, aanwezig: Verslag staat op dit apparaat "
                                        r"al, met andere gegevens"):
        _import(other_store, other_actor, changed)
    assert table_counts(other_store) == before


def test_same_bsn_under_another_id_is_refused(
        source: tuple[str, dict[str, Any]], other_store: Store, other_actor: Actor) -> None:
    _, data = source
    with other_store.unit_of_work(other_actor) as uow:
        make_case(uow)  # the same synthetic BSN, registered independently on this device
    before = table_counts(other_store)
    with pytest.raises(Exception, match=r"^Zaak UHT-\d{4}-\d{6}, ouder, BSN: .*ander id") as info:
        _import(other_store, other_actor, data)
    assert getattr(info.value, "field", None) == "parent.bsn"
    assert table_counts(other_store) == before


def test_cancel_mid_import_writes_nothing(
        source: tuple[str, dict[str, Any]], other_store: Store, other_actor: Actor) -> None:
    _, data = source
    big = with_story(data, 2_000)
    token = CancelToken()
    seen: list[Progress] = []

    class CancelHalfway:
        def report(self, progress: Progress) -> None:
            seen.append(progress)
            if progress.done >= 1_000:
                token.cancel()

    before = table_counts(other_store)
    with pytest.raises(Cancelled), other_store.unit_of_work(other_actor) as uow:
        import_dossier(uow, big, progress=CancelHalfway(), cancel=token)
    assert table_counts(other_store) == before
    assert seen[-1].done < seen[-1].total


@pytest.mark.slow
def test_ten_thousand_story_entries_import_in_seconds(
        source: tuple[str, dict[str, Any]], other_store: Store, other_actor: Actor) -> None:
    case_id, data = source
    big = with_story(data, 10_000)
    reports: list[Progress] = []

    class Collect:
        def report(self, progress: Progress) -> None:
            reports.append(progress)

    started = time.perf_counter()
    with other_store.unit_of_work(other_actor) as uow:
        summary = import_dossier(uow, big, progress=Collect(), cancel=CancelToken())
    seconds = time.perf_counter() - started
    print(f"\n10.000 verslagen ingelezen in {seconds:.2f} s ({summary})")
    # The budget is loose on purpose: the search index's per-row trigger dominates (see the dossier report).
    assert seconds < 30
    assert summary.written == _row_count(big)
    assert max(b.done - a.done for a, b in itertools.pairwise(reports)) <= 500
    assert reports[-1].done == reports[-1].total == summary.written
    with other_store.unit_of_work(other_actor) as uow:
        assert len(uow.session.scalars(select(StoryEntry.id).where(StoryEntry.case_id == case_id)).all()) == 10_003
    expected = {**big, "story": sorted(big["story"], key=lambda r: (r["occurred_at"], r["id"]))}
    assert dumps(comparable(_export(other_store, other_actor, case_id))) == dumps(comparable(expected))


def test_letters_are_written_corrected_first(
        source: tuple[str, dict[str, Any]], other_store: Store, other_actor: Actor) -> None:
    _, data = source
    assert [x["id"] for x in data["letters"]] == [CORRECTION_LETTER, ORIGINAL_LETTER]
    _import(other_store, other_actor, data)  # the foreign key would refuse the other order


def test_a_newer_export_adds_only_what_is_new(
        source: tuple[str, dict[str, Any]], other_store: Store, other_actor: Actor) -> None:
    _, data = source
    _import(other_store, other_actor, data)
    summary = _import(other_store, other_actor, with_story(data, 3))
    assert (summary.written, summary.skipped) == (3, _row_count(data))


def test_a_second_case_of_the_same_parent_shares_the_parent_rows(
        store: Store, actor: Actor, source: tuple[str, dict[str, Any]], other_store: Store,
        other_actor: Actor) -> None:
    _, first = source
    with store.unit_of_work(actor) as uow:
        second_id = CaseService().open_case(uow, parent_id=first["parent"]["id"]).id
    second = _export(store, actor, second_id)
    _import(other_store, other_actor, first)
    summary = _import(other_store, other_actor, second)
    # Parent, both children and the ex-partner were already there; the new case and its opening step are not.
    assert (summary.written, summary.skipped) == (2, 4)
    assert dumps(comparable(_export(other_store, other_actor, second_id))) == dumps(comparable(second))


def test_rows_written_after_an_import_get_fresh_bookkeeping(
        source: tuple[str, dict[str, Any]], other_store: Store, other_actor: Actor, other_clock: FixedClock) -> None:
    case_id, data = source
    with other_store.unit_of_work(other_actor) as uow:
        import_dossier(uow, data, progress=NoProgress(), cancel=CancelToken())
        entry = StoryService().add(uow, case_id, kind="notitie", text="Dossier ontvangen van collega.")
        row = uow.session.get(StoryEntry, entry.id)
        assert row is not None
        assert (row.updated_at, row.updated_by) == (other_clock.now(), other_actor.user_id)
    imported = next(s for s in data["story"] if s["rev"] == 7)
    with other_store.unit_of_work(other_actor) as uow:
        kept = uow.session.get(StoryEntry, imported["id"])
        assert kept is not None and kept.updated_at.isoformat(timespec="microseconds") == imported["updated_at"]
        assert kept.updated_by == imported["updated_by"] != other_actor.user_id


def test_exporting_an_unknown_case_says_so(store: Store, actor: Actor) -> None:
    with pytest.raises(NotFound), store.unit_of_work(actor) as uow:
        export_case(uow, "00000000-0000-4000-8000-000000000000")
