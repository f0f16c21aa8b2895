"""The parent's story (verhaal): heard once, recorded faithfully, never lost."""
