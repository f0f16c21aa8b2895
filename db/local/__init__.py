"""Alembic environment of the laptop store."""
