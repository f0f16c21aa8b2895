"""Shared test pieces: factories and fakes."""
