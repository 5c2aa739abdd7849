"""The cyclic garbage collector paused around work that makes many acyclic, long-lived objects.

Rows built for the store, facts read for the observation index, query rows and spaCy's import
and pipeline load all allocate tens of thousands of objects that hold no cycles; each collection
their allocations set off walks every one of them again (a quarter to a third of the time of
those steps, measured where each caller uses this). Collection resumes on the way out, unless
it was already off.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
