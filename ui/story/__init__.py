"""The story tab: a case's timeline of contacts."""
