"""Write a file whole or not at all: a temporary file beside the target, renamed when complete.

Why: a brief or export cut off by a full disk (or a quota, or a killed process) used to leave a
truncated PDF under the real name, which opens as "damaged" or, worse, looks complete. The
rename is atomic on one file system, so the target is either the old file or the new one.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from orbat.errors import UserError


class WriteFailed(UserError):
    """The disk refused the write (full, quota, read-only, too large); nothing was replaced."""


def write_failed(path: Path | str, exc: OSError) -> WriteFailed:
    reason = exc.strerror or str(exc) or type(exc).__name__
    return WriteFailed(f"cannot write {path}: {reason}; nothing was written and any existing file is unchanged")


def write_file(path: Path, data: bytes | str) -> None:
    """Write `data` (text as UTF-8) to `path` atomically; one-line `WriteFailed` if the disk refuses."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    temp: str | None = None
    try:
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o666 & ~umask())  # an ordinary new file, not mkstemp's 0600
        os.replace(temp, path)
        temp = None
    except OSError as exc:
        raise write_failed(path, exc) from None
    finally:
        if temp is not None:
            Path(temp).unlink(missing_ok=True)


def umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
