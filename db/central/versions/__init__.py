"""Migration scripts of central's database, oldest first."""
