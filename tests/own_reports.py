"""Short reports of our own that several test suites ingest beside the bundled examples."""

# A sighting the text places only at the country ("the Malian Air Force operates …"): maps list it
# or draw it at the country's point, never as a dot the text did not give.
COUNTRY_ONLY = """---
title: "Mali's air force shows its transport fleet"
publisher: "Test Desk"
url: https://example.org/test-mali-c295
published: 2024-11-12
---
The Malian Air Force operates two Airbus C295 transport aircraft, the army said on 12 November 2024.
"""
