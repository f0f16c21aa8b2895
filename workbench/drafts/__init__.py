"""Editor drafts: what a handler typed in a free-text editor, kept in the encrypted store until it is saved."""
