"""The plan tab: life domains, needs, actions and commitments."""
