"""Store: the knowledge base of documents, extraction runs and claims (SQLite or PostgreSQL).

`open_store(path_or_url)` migrates and opens it; `Store.save(record)` writes one document's
extraction in one transaction; `Store.facts(...)` reads claims back as `ClaimFact`s.
"""

from __future__ import annotations

from orbat.store.database import Store, StoreError, database_url, open_store, prepare_rows
from orbat.store.read import facts_query, load_facts
from orbat.store.rows import RecordError, facts_from_record
from orbat.store.types import DocumentInfo, SaveResult, StoredDocument, StoreStats

__all__ = ["DocumentInfo", "RecordError", "SaveResult", "Store", "StoreError", "StoreStats", "StoredDocument",
           "database_url", "facts_from_record", "facts_query", "load_facts", "open_store", "prepare_rows"]
