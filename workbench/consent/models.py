"""ORM models for consents (toestemmingen) and disclosures (verstrekkingen)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from workbench.store.schema import AppendOnly, Base, CaseScope, Syncable


class Consent(Syncable, Base):
    __tablename__ = "consent"
    __entity__ = "consent"
    __case_scope__ = CaseScope(case="case_id")

    case_id: Mapped[str] = mapped_column(ForeignKey("case_file.id"), index=True)
    partner: Mapped[str] = mapped_column(String(200))
    scope: Mapped[str] = mapped_column(String(500))
    given_on: Mapped[dt.date] = mapped_column(Date())
    withdrawn_on: Mapped[dt.date | None] = mapped_column(Date(), nullable=True)


class Disclosure(AppendOnly, Syncable, Base):
    __tablename__ = "disclosure"
    __entity__ = "disclosure"
    __case_scope__ = CaseScope(case="case_id")

    case_id: Mapped[str] = mapped_column(ForeignKey("case_file.id"), index=True)
    consent_id: Mapped[str | None] = mapped_column(ForeignKey("consent.id"), nullable=True)
    partner: Mapped[str] = mapped_column(String(200))
    what: Mapped[str] = mapped_column(String(1000))
    basis: Mapped[str] = mapped_column(String(200))
    disclosed_on: Mapped[dt.date] = mapped_column(Date())
