"""Searching across every case on the device: names, references and what the parents told."""
