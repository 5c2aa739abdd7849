"""A character mask of what is already taken, so overlap checks stay linear on long documents."""

from __future__ import annotations


class Occupied:
    """Which characters already belong to a mention: constant-time checks on long documents."""

    def __init__(self, size: int, spans: list[tuple[int, int]] | None = None):
        self.mask = bytearray(size + 1)
        for start, end in spans or []:
            self.take(start, end)

    def free(self, start: int, end: int) -> bool:
        return not any(self.mask[start:end])

    def take(self, start: int, end: int) -> None:
        self.mask[start:end] = b"\x01" * (end - start)
