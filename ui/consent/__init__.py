"""The consent tab: consents to share and the disclosures made."""
