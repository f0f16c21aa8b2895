"""The bezwaar route end to end: a beschikking, the ontvangstbevestiging, the beslissing op bezwaar with beroep."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.helpers.factories import FixedClock, make_case
from tests.workbench.letters.issuing import issue_on, reviewer
from tests.workbench.letters.samples import SIGN, beschikking_values, facts, flat_text
from workbench.cases.models import Case
from workbench.errors import NotAllowed
from workbench.letters.models import Letter
from workbench.letters.service import LetterService, letter_reference
from workbench.store.unit_of_work import Actor, Store


def test_the_bezwaar_route_end_to_end_checked_by_text_extraction(
        store: Store, actor: Actor, clock: FixedClock) -> None:
    service, checker = LetterService(), reviewer(store)
    with store.unit_of_work(actor) as uow:
        _parent, case_id = make_case(uow)
        case_reference = uow.session.get(Case, case_id).reference
    decided = dt.date(2026, 9, 14)
    beschikking, _pdf = issue_on(store, clock, decided, actor, checker, lambda uow: service.create_draft(
        uow, case_id, template_id="beschikking_integrale_beoordeling", values=beschikking_values(), facts=facts()))
    kenmerk = letter_reference(case_reference, beschikking.id)
    assert beschikking.dated_on == decided

    # the ontvangstbevestiging: the contested decision is chosen, its kenmerk and date are never typed
    received = dt.date(2026, 11, 20)
    bevestiging, pdf = issue_on(store, clock, dt.date(2026, 11, 23), actor, checker, lambda uow: service.create_draft(
        uow, case_id, template_id="ontvangstbevestiging_bezwaar", related_letter_id=beschikking.id,
        values={**SIGN, "objection_received_on": received.isoformat(), "advisory_committee": "ja",
                "contested_reference": "getypt kenmerk", "contested_date": "2020-01-01"}))
    text = flat_text(pdf)
    # bezwaartermijn of the decision: 16 weeks, last day 4 January 2027; beslistermijn with the BAC: 12 weeks more
    assert f"ons besluit van 14 september 2026 met kenmerk {kenmerk}" in text
    assert "getypt kenmerk" not in text and "2020" not in text
    assert "Op 20 november 2026 hebben wij uw bezwaar ontvangen." in text
    assert "uiterlijk op 29 maart 2027 op uw bezwaar beslissen" in text and "Die termijn is 12 weken." in text
    assert "Bezwaarschriftenadviescommissie (BAC)" in text and bevestiging.status == "issued"
    assert "awb-beslistermijn-2009-10-01" in bevestiging.policy_versions

    # the beslissing op bezwaar, on the same decision, ending with the beroep clause
    decided_on_objection = dt.date(2027, 2, 15)
    beslissing, pdf = issue_on(store, clock, decided_on_objection, actor, checker, lambda uow: service.create_draft(
        uow, case_id, template_id="beslissing_op_bezwaar", related_letter_id=beschikking.id,
        values={**SIGN, "objection_received_on": received.isoformat(), "outcome": "Deels gegrond",
                "decision": "Wij nemen het jaar 2014 mee. U krijgt daarover een nieuw besluit.",
                "motivation": "Uit uw bankafschriften blijkt dat u in 2014 ook toeslag moest terugbetalen."}))
    text = flat_text(pdf)
    assert beslissing.status == "issued" and beslissing.dated_on == decided_on_objection
    assert f"ons besluit van 14 september 2026 met kenmerk {kenmerk}" in text
    assert "Onze beslissing: uw bezwaar is deels gegrond" in text
    assert "Deels gegrond betekent: u krijgt voor een deel gelijk." in text
    # 6 weeks from 15 February 2027 (the day after it) end on 29 March 2027
    assert re.search(r"beroep instellen bij de rechtbank\..*binnen 6 weken na de datum van deze brief\. "
                     r"Dat is uiterlijk 29 maart 2027\.", text), text
    assert "bezwaar maken binnen" not in text  # no bezwaar clause on a beslissing op bezwaar
    assert "awb-beroep-6-weken" in beslissing.policy_versions
    with store.unit_of_work(actor) as uow:
        row = uow.session.get(Letter, beslissing.id)
        contested = uow.session.get(Letter, beschikking.id)
        assert row is not None and contested is not None
        assert row.field_values["contested_letter_id"] == beschikking.id
        assert row.field_values["legal_basis"] == contested.field_values["legal_basis"]
        assert contested.field_values["legal_basis"] in text
        # the route goes on to the rechtbank: no bezwaar against a beslissing op bezwaar
        with pytest.raises(NotAllowed, match="beroep instellen bij de rechtbank"):
            service.create_draft(uow, case_id, template_id="ontvangstbevestiging_bezwaar",
                                 related_letter_id=beslissing.id, values={**SIGN, "objection_received_on": "2027-02-14",
                                                                          "advisory_committee": "nee"})
