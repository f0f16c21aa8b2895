"""Parents: registration with validation, updates, masked BSN, audited reveal, children and ex-partners."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.helpers.factories import parent_fields
from workbench.audit.models import AuditEvent
from workbench.errors import ValidationError
from workbench.parties.models import Parent
from workbench.parties.service import ParentService
from workbench.store.unit_of_work import Actor, Store

parents = ParentService()


def test_register_normalises_and_masks(store: Store, actor: Actor) -> None:
    with store.unit_of_work(actor) as uow:
        p = parents.register(uow, **parent_fields(postcode="1234ab", tussenvoegsel="Van"))
    assert p.postcode == "1234 AB" and p.name.tussenvoegsel == "van"
    assert p.bsn_masked == "•••••0019" and "999990019" not in repr(p)


@pytest.mark.parametrize(("field", "value"), [
    ("bsn", "123456789"), ("postcode", "12AB"), ("achternaam", ""), ("birth_date", "32-01-1980"),
    ("email", "geen-adres"), ("phone", "12"), ("birth_date", "01-01-1850"), ("safety_notes", "x" * 10_001),
])
def test_invalid_field_is_named_and_nothing_is_written(store: Store, actor: Actor, field: str, value: str) -> None:
    with pytest.raises(ValidationError) as err, store.unit_of_work(actor) as uow:
        parents.register(uow, **parent_fields(**{field: value}))
    assert err.value.field == field
    with store.unit_of_work(actor) as uow:
        assert uow.session.scalar(select(func.count()).select_from(Parent)) == 0


def test_duplicate_bsn_is_refused(store: Store, actor: Actor) -> None:
    with store.unit_of_work(actor) as uow:
        parents.register(uow, **parent_fields())
    with pytest.raises(ValidationError, match="al een ouder") as err, store.unit_of_work(actor) as uow:
        parents.register(uow, **parent_fields(achternaam="Anders"))
    assert err.value.field == "bsn"


def test_bsn_cannot_be_changed_and_reveal_is_audited(store: Store, actor: Actor) -> None:
    with store.unit_of_work(actor) as uow:
        p = parents.register(uow, **parent_fields())
    with pytest.raises(ValidationError), store.unit_of_work(actor) as uow:
        parents.update(uow, p.id, bsn="999990020")
    with store.unit_of_work(actor) as uow:
        assert parents.reveal_bsn(uow, p.id) == "999990019"
    with store.unit_of_work(actor) as uow:
        verbs = uow.session.scalars(select(AuditEvent.verb).where(AuditEvent.entity_id == p.id)).all()
    assert verbs == ["create", "reveal_bsn"]


def test_children_and_ex_partners(store: Store, actor: Actor) -> None:
    with store.unit_of_work(actor) as uow:
        p = parents.register(uow, **parent_fields())
        parents.add_child(uow, p.id, achternaam="Jansen", voornamen="Noor", birth_date="01-02-2010")
        parents.add_ex_partner(uow, p.id, achternaam="Vries", tussenvoegsel="de", voorletters="K.",
                               was_toeslagpartner=True, separated_on="2019-05-01")
        with pytest.raises(ValidationError) as err:
            parents.add_child(uow, p.id, achternaam="Jansen", bsn="123456789")
        detail = parents.get(uow, p.id)
    assert err.value.field == "child_bsn"
    assert [c.name.display for c in detail.children] == ["Noor Jansen"]
    assert [e.name.formal for e in detail.ex_partners] == ["K. de Vries"]
