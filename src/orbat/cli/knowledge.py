"""Knowledge-base commands (ingest, stats, posture, where, timeline, new, routes, show, reprocess)."""
