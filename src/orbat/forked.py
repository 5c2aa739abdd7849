"""Helpers for the processes orbat forks to put the second core to work (the observation
refresh's helper, the index build of a batch load).

A forked child inherits its parent's open database connections; it never uses them and ends
without closing them (`multiprocessing` ends a forked child with `os._exit`), so the parent's
sessions go on untouched.
"""

from __future__ import annotations

import os


def die_with(parent: int) -> None:
    """Have the kernel kill this process when `parent` (the process that forked it) ends, and
    end now if it already has (Linux's `PR_SET_PDEATHSIG`).

    Why: a child left alive after its parent is killed would hold the parent's connections
    open, and with them its transactions and locks, so a rerun would wait for ever."""
    import ctypes
    import signal

    set_parent_death_signal = 1  # PR_SET_PDEATHSIG in <sys/prctl.h>
    ctypes.CDLL(None, use_errno=True).prctl(set_parent_death_signal, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)
