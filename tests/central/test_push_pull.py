"""Push and pull over HTTP: roundtrip, idempotent replays, 409 on reuse, pages, summary, rows and fetch."""

from __future__ import annotations

from tests.central.wire import case_rev, change, new_id, new_story, open_case
from tests.helpers.central import CentralServer, Crew, DeviceSession
from workbench.sync.protocol import Change, summary_digest


def _case_rows(changes: list[dict], case_id: str) -> list[dict]:
    return [c for c in changes if c["scope"]["case_id"] == case_id]


def test_a_pushed_case_reaches_the_handlers_other_device_whole(server: CentralServer, crew: Crew) -> None:
    laptop = crew.device()
    case_id, parent_id = open_case(laptop)
    story = new_story(case_id, "Mevrouw vertelt over de terugvordering.", laptop.user_id)
    [result] = laptop.push_ok(story)
    assert result == {"change_id": story["change_id"], "status": "applied", "rev": 1, "row": None,
                      "conflicts": None, "reason": None}
    second = DeviceSession(server, laptop.enrollment["username"])
    try:
        changes, revoked, cursor = second.pull_all()
    finally:
        second.close()
    assert revoked == []
    mine = {(c["entity"], c["row_id"]): c for c in changes if c["entity"] not in ("user", "team")}
    assert set(mine) == {("parent", parent_id), ("case", case_id), ("story_entry", story["row_id"])}
    assert mine[("story_entry", story["row_id"])]["fields"]["text"] == "Mevrouw vertelt over de terugvordering."
    assert mine[("case", case_id)]["snapshot"] is True
    assert mine[("parent", parent_id)]["fields"]["bsn"] == "999990019"
    seqs = [c["seq"] for c in changes]
    assert seqs == sorted(seqs) and cursor >= seqs[-1]
    empty = laptop.pull(cursor)
    assert empty == {"protocol": 1, "changes": [], "next_cursor": cursor, "more": False, "revoked": [],
                     "handed_over": [], "epoch": empty["epoch"]}
    assert empty["epoch"] == laptop.pull(0)["epoch"]


def test_a_later_change_arrives_as_its_own_event_with_its_origin(server: CentralServer, crew: Crew) -> None:
    laptop = crew.device()
    case_id, _ = open_case(laptop)
    _, _, cursor = laptop.pull_all()
    edit = change("case", case_id, {"phase": ("aangemeld", "eerste_toets")}, base_rev=1, case_id=case_id)
    assert laptop.push_ok(edit)[0]["status"] == "applied"
    [event] = laptop.pull(cursor)["changes"]
    assert event["origin_change_id"] == edit["change_id"]
    assert event["fields"] == {"phase": "eerste_toets"}
    assert (event["rev"], event["snapshot"]) == (2, False)


def test_a_replayed_change_gets_the_first_answer_and_changes_nothing(server: CentralServer, crew: Crew) -> None:
    laptop = crew.device()
    case_id, _ = open_case(laptop)
    edit = change("case", case_id, {"phase": ("aangemeld", "eerste_toets")}, base_rev=1, case_id=case_id)
    first = laptop.push_ok(edit)
    before = server.stats()
    again = laptop.push_ok(edit, edit)
    assert again == first * 2
    assert server.stats()["change_log"] == before["change_log"]
    assert case_rev(laptop, case_id) == 2


def test_a_refused_change_is_replayed_as_refused(server: CentralServer, crew: Crew) -> None:
    laptop = crew.device()
    bogus = change("case", new_id(), {"phase": ("a", "b")}, base_rev=3)
    first = laptop.push_ok(bogus)
    assert first[0]["status"] == "refused"
    assert laptop.push_ok(bogus) == first


def test_reusing_a_change_id_with_another_payload_is_409(server: CentralServer, crew: Crew) -> None:
    laptop = crew.device()
    case_id, _ = open_case(laptop)
    edit = change("case", case_id, {"phase": ("aangemeld", "eerste_toets")}, base_rev=1, case_id=case_id)
    laptop.push_ok(edit)
    before = server.stats()
    altered = {**edit, "fields": {"phase": ["aangemeld", "integrale_beoordeling"]}}
    answer = laptop.push(change("story_entry", new_id(), {}, case_id=case_id), altered)
    assert answer.status_code == 409
    assert edit["change_id"] in answer.json()["detail"]
    twice = change("case", case_id, {"phase": ("eerste_toets", "integrale_beoordeling")}, base_rev=2, case_id=case_id)
    answer = laptop.push(twice, {**twice, "base_rev": 1})
    assert answer.status_code == 409
    assert server.stats()["change_log"] == before["change_log"]  # nothing of either batch was applied


def test_another_users_change_id_is_409_too(server: CentralServer, crew: Crew) -> None:
    anna, bram = crew.device(), crew.device()
    case_id, _ = open_case(anna)
    edit = change("case", case_id, {"phase": ("aangemeld", "eerste_toets")}, base_rev=1, case_id=case_id)
    anna.push_ok(edit)
    assert bram.push(edit).status_code == 409


def test_digest_matches_the_protocols(server: CentralServer) -> None:
    payload = change("case", new_id(), {"phase": ("a", "b")}, case_id=new_id())
    assert Change.model_validate(payload).digest() == Change.model_validate(dict(reversed(payload.items()))).digest()


def test_pages_are_ordered_gap_free_and_bounded(server: CentralServer, crew: Crew) -> None:
    laptop = crew.device()
    case_id, _ = open_case(laptop)
    _, _, start = laptop.pull_all()
    stories = [new_story(case_id, f"Notitie {i}", laptop.user_id) for i in range(57)]
    for i in range(0, len(stories), 20):
        laptop.push_ok(*stories[i:i + 20])
    seen: list[dict] = []
    cursor, pages = start, 0
    while True:
        page = laptop.pull(cursor, limit=10)
        pages += 1
        assert len(page["changes"]) <= 10
        seen += page["changes"]
        assert page["next_cursor"] > cursor or not page["more"]
        cursor = page["next_cursor"]
        if not page["more"]:
            break
    assert pages == 6
    assert [c["origin_change_id"] for c in seen] == [s["change_id"] for s in stories]
    assert [c["seq"] for c in seen] == sorted({c["seq"] for c in seen})


def test_summary_rows_and_fetch_agree_with_what_was_pulled(server: CentralServer, crew: Crew) -> None:
    laptop = crew.device()
    case_id, parent_id = open_case(laptop)
    laptop.push_ok(new_story(case_id, "Telefoongesprek.", laptop.user_id))
    changes, _, cursor = laptop.pull_all()
    held: dict[tuple[str, str], int] = {}
    for c in changes:
        held[(c["entity"], c["row_id"])] = max(held.get((c["entity"], c["row_id"]), 0), c["rev"])
    summary = laptop.http.get("/v1/sync/summary").json()
    assert summary["cursor"] == cursor
    assert summary["digest"] == summary_digest([f"{e}:{r}:{rev}" for (e, r), rev in held.items()])
    assert summary["counts"]["case"] == 1 and summary["counts"]["story_entry"] == 1
    rows = laptop.http.get("/v1/sync/rows/case").json()
    assert rows == {"entity": "case", "revs": {case_id: 1}}
    fetched = laptop.http.post("/v1/sync/fetch", json={"entity": "parent", "row_ids": [parent_id, new_id()]}).json()
    [only] = fetched["changes"]
    assert (only["row_id"], only["snapshot"], only["fields"]["achternaam"]) == (parent_id, True, "Testouder")


def test_the_last_page_carries_the_summary_when_asked_and_an_older_device_never_sees_the_field(
        crew: Crew) -> None:
    laptop = crew.device()
    case_id, _ = open_case(laptop)
    laptop.push_ok(new_story(case_id, "Huisbezoek.", laptop.user_id))
    summary = laptop.http.get("/v1/sync/summary").json()

    def page(cursor: int, limit: int = 1000, **asked: str) -> dict:
        answer = laptop.http.get("/v1/sync/pull", params={"cursor": cursor, "limit": limit, **asked})
        assert answer.status_code == 200
        return answer.json()

    assert "summary" not in page(0)  # a device of an earlier version refuses fields it does not know
    assert page(0, summary="always")["summary"] == summary
    assert page(0, summary="moved")["summary"] == summary  # the page brings the user's rows
    first = page(0, limit=1, summary="always")
    assert first["more"] and "summary" not in first  # only the last page carries it
    head = page(0)["next_cursor"]
    assert "summary" not in page(head, summary="moved")  # nothing moved: no summary to compute
    assert page(head, summary="always")["summary"] == summary
    wrong = laptop.http.get("/v1/sync/pull", params={"cursor": 0, "summary": "soms"})
    assert wrong.status_code == 422 and "summary" in wrong.json()["detail"]
