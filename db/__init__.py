"""Alembic migration trees: db/local (the laptop store) and db/central (the server)."""
