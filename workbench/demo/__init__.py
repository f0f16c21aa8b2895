"""Synthetic demo caseloads (fake people, test-range BSNs)."""
