"""Parents, their children and ex-partners, with the value types that guard their data."""
