"""Payments made to a parent or child: the record letters take their dates and earlier amounts from."""
