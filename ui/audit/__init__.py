"""The history tab: a case's audit events."""
