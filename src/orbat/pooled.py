"""Several documents' spaCy work in one `nlp.pipe` call.

spaCy's fixed cost per `nlp.pipe` call is large next to the few sentences one news report sends
it (about three parse candidates and three name-recogniser windows a document): the same
sentences cost about half the CPU in batches of 64 as in batches of three. `imap` runs a
function on several items side by side, each in its own greenlet (a coroutine in this thread:
one runs at a time, no locks, the same thread-bound connections). `pipe` is the one place an
item's code may stop: each greenlet runs until it asks spaCy for something, then waits; when all
of them wait or are done, the requests for the same pipeline and the same switched-off
components go to spaCy in one call, each item gets its own documents back, and they run on to
their next request. Outside `imap`, `pipe` is a plain `nlp.pipe`.

spaCy's results do not depend on what else is in the batch (checked on the test corpora: the
records are byte-identical), so pooling changes the cost, not the output. `cpu_time` is the
running item's own CPU time (the pooled spaCy calls are charged to no one), so a per-document
CPU budget means the same pooled or not.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any, TypeVar

from greenlet import getcurrent, greenlet

T = TypeVar("T")
U = TypeVar("U")
SIZE = 32  # items side by side: ~100 parse candidates and ~100 windows a round on news reports


@dataclass
class _Request:
    nlp: Any
    texts: list[str]
    disable: tuple[str, ...]
    batch_size: int


@dataclass
class _Done:
    value: Any = None
    error: BaseException | None = None


class _Item(greenlet):
    cpu = 0.0  # this item's own CPU seconds so far
    resumed = 0.0


def pipe(nlp, texts: Sequence[str], disable: Sequence[str], batch_size: int = 64) -> list:
    """`list(nlp.pipe(texts, …))`, pooled with the other items' requests inside `imap`."""
    if not texts:
        return []
    me = getcurrent()
    if not isinstance(me, _Item):
        return list(nlp.pipe(texts, batch_size=batch_size, disable=list(disable)))
    return me.parent.switch(_Request(nlp, list(texts), tuple(disable), batch_size))


def cpu_time() -> float:
    """CPU seconds of this thread, or of the running item inside `imap` (its own work only)."""
    me = getcurrent()
    if isinstance(me, _Item):
        return me.cpu + time.thread_time() - me.resumed
    return time.thread_time()


def imap(func: Callable[[T], U], items: Iterable[T], size: int = SIZE) -> Iterator[U]:
    """`func` on every item, results in item order, `size` items side by side at a time.

    An exception raised by `func` is raised here at that item's turn, as a plain loop would.
    """
    it = iter(items)
    while chunk := list(islice(it, size)):
        results = _run([lambda item=item: func(item) for item in chunk])
        results.reverse()
        while results:
            if results[-1].error is not None:
                raise results[-1].error
            # handed over without a reference kept here, so the caller can free a big result
            # (a long document's record) once done with it, before the next one
            yield results.pop().value


def _run(tasks: list[Callable[[], Any]]) -> list[_Done]:
    results: list[_Done | None] = [None] * len(tasks)
    waiting: dict[int, tuple[_Item, _Request]] = {}

    def body(task):
        try:
            return _Done(task())
        except Exception as exc:  # the caller gets it back at this item's turn
            return _Done(error=exc)

    def step(i: int, item: _Item, value=None, error: BaseException | None = None) -> None:
        item.resumed = time.thread_time()
        try:
            out = item.throw(error) if error is not None else item.switch(value)
        finally:
            item.cpu += time.thread_time() - item.resumed
        if isinstance(out, _Request):
            waiting[i] = (item, out)
        else:
            results[i] = out

    for i, task in enumerate(tasks):
        item = _Item(run=lambda *_, task=task: body(task))
        step(i, item)
    while waiting:
        rounds, waiting_now = {}, dict(sorted(waiting.items()))
        waiting.clear()
        for i, (_, request) in waiting_now.items():
            rounds.setdefault((id(request.nlp), request.disable, request.batch_size), []).append(i)
        answers: dict[int, list | BaseException] = {}
        for members in rounds.values():
            answers.update(_answer([waiting_now[i][1] for i in members], members))
        for i, (item, _) in waiting_now.items():
            answer = answers[i]
            if isinstance(answer, BaseException):
                step(i, item, error=answer)
            else:
                step(i, item, answer)
    return results  # type: ignore[return-value]


def _answer(requests: list[_Request], members: list[int]) -> dict[int, list | BaseException]:
    """One spaCy call for every request; if it fails, each request alone, so that one text spaCy
    cannot read fails only its own item's request, as it would unpooled."""
    first = requests[0]
    texts = [t for r in requests for t in r.texts]
    try:
        docs = list(first.nlp.pipe(texts, batch_size=first.batch_size, disable=list(first.disable)))
    except Exception:
        out: dict[int, list | BaseException] = {}
        for i, r in zip(members, requests, strict=True):
            try:
                out[i] = list(r.nlp.pipe(r.texts, batch_size=r.batch_size, disable=list(r.disable)))
            except Exception as exc:
                out[i] = exc
        return out
    out, at = {}, 0
    for i, r in zip(members, requests, strict=True):
        out[i] = docs[at : at + len(r.texts)]
        at += len(r.texts)
    return out
