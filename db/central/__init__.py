"""Alembic migrations of the central system's database (SQLite or PostgreSQL)."""
