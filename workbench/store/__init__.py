"""The encrypted local store: SQLCipher engine, schema base and unit of work."""
