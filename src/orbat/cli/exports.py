"""`orbat export`: observations and records in the formats other tools read."""
