"""Consent to share with named partners, and the record of every disclosure."""
