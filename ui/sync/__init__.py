"""Sync in the window: the background driver and the conflicts page."""
