"""ORM models for users and teams (roles come from central)."""

from __future__ import annotations

import enum

from sqlalchemy import Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from workbench.store.schema import NO_CASE, Base, Syncable


class Role(enum.StrEnum):
    HANDLER = "handler"
    TEAM_LEAD = "team_lead"
    REVIEWER = "reviewer"


class Team(Syncable, Base):
    __tablename__ = "team"
    __entity__ = "team"
    __case_scope__ = NO_CASE

    name: Mapped[str] = mapped_column(String(200))


class User(Syncable, Base):
    __tablename__ = "user_account"
    __entity__ = "user"
    __case_scope__ = NO_CASE

    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(Enum(Role, native_enum=False, length=20, validate_strings=True))
    team_id: Mapped[str | None] = mapped_column(ForeignKey("team.id"), nullable=True)
