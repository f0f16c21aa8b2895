"""The append-only, hash-chained log of every view and change."""
