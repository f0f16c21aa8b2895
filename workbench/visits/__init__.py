"""Home visits (huisbezoek): a draft autosaved while the handler types, turned into the record at the end."""
