"""The HTTP API and the analyst page: `orbat serve` (FastAPI app built by `orbat.serve.app`)."""
