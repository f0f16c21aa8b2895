"""ORM models for parents (ouders), children and ex-partners."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from workbench.store.schema import Base, CaseScope, Syncable


class NameParts:
    """Dutch name parts shared by every person row."""

    voorletters: Mapped[str] = mapped_column(String(20), default="")
    voornamen: Mapped[str] = mapped_column(String(200), default="")
    tussenvoegsel: Mapped[str] = mapped_column(String(20), default="")
    achternaam: Mapped[str] = mapped_column(String(200))


class Parent(NameParts, Syncable, Base):
    __tablename__ = "parent"
    __entity__ = "parent"
    __case_scope__ = CaseScope(parent="id")

    bsn: Mapped[str] = mapped_column(String(9), unique=True)
    # How letters address the parent: mevrouw, meneer or neutraal (full name, no title).
    aanspreekvorm: Mapped[str] = mapped_column(String(10), default="neutraal", server_default="neutraal")
    birth_date: Mapped[dt.date | None] = mapped_column(Date(), nullable=True)
    street: Mapped[str] = mapped_column(String(200), default="")
    house_number: Mapped[str] = mapped_column(String(20), default="")
    postcode: Mapped[str] = mapped_column(String(7), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    preferred_channel: Mapped[str] = mapped_column(String(20), default="telefoon")
    language_need: Mapped[str] = mapped_column(String(100), default="")
    safety_notes: Mapped[str] = mapped_column(Text(), default="")


class Child(NameParts, Syncable, Base):
    __tablename__ = "child"
    __entity__ = "child"
    __case_scope__ = CaseScope(parent="parent_id")

    parent_id: Mapped[str] = mapped_column(ForeignKey("parent.id"), index=True)
    bsn: Mapped[str | None] = mapped_column(String(9), nullable=True)
    birth_date: Mapped[dt.date | None] = mapped_column(Date(), nullable=True)
    # A child's own address, for letters to an adult child who does not live with the parent (empty: same).
    street: Mapped[str] = mapped_column(String(200), default="", server_default="")
    house_number: Mapped[str] = mapped_column(String(20), default="", server_default="")
    postcode: Mapped[str] = mapped_column(String(7), default="", server_default="")
    city: Mapped[str] = mapped_column(String(100), default="", server_default="")


class ExPartner(NameParts, Syncable, Base):
    __tablename__ = "ex_partner"
    __entity__ = "ex_partner"
    __case_scope__ = CaseScope(parent="parent_id")

    parent_id: Mapped[str] = mapped_column(ForeignKey("parent.id"), index=True)
    bsn: Mapped[str | None] = mapped_column(String(9), nullable=True)
    was_toeslagpartner: Mapped[bool] = mapped_column(default=False)
    separated_on: Mapped[dt.date | None] = mapped_column(Date(), nullable=True)
