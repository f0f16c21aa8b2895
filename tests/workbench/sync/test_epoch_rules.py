"""The rules behind an epoch change that need no central: when central is behind, and what the user is told."""

from __future__ import annotations

from workbench.sync.engine import SyncReport
from workbench.sync.epoch import behind, explain


def test_central_is_behind_only_where_it_holds_our_row_at_a_lower_revision() -> None:
    ours = {"case": {"a": 3, "b": 1}, "user": {"u": 5}}
    assert behind({"case": {"a": 3, "b": 2}}, ours) == 0  # equal or newer on central: ordinary sync lag
    assert behind({"case": {"c": 1}}, ours) == 0  # a row we do not have
    assert behind({"case": {"a": 2, "b": 1}}, ours) == 1
    # Central's own rows (users, teams) are central's to keep as it likes: never a reason to push again.
    assert behind({"user": {"u": 1}}, ours) == 0


def test_the_message_names_a_new_epoch_or_missing_changes_and_counts_in_dutch() -> None:
    assert explain(SyncReport(pushed=2)) == ""
    one = explain(SyncReport(central_behind=True, repushed=1))
    assert one.startswith("De centrale miste wijzigingen") and "1 gegeven is opnieuw" in one
    assert "zaak" not in one
    many = explain(SyncReport(central_behind=True, epoch_changed=True, repushed=7, kept=["x", "y"]))
    assert many.startswith("De centrale is teruggezet (nieuw tijdperk).")
    assert "7 gegevens zijn opnieuw" in many and "2 zaken die de centrale niet meer aan u toont" in many
