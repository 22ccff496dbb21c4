"""Several processes for ``Extractor.extract_many(…)`` with ``jobs > 1``: each worker loads the
models once and takes batches of documents; results come back in input order. The pool lives
as long as its extractor, so a second ``extract_many`` call reuses the loaded workers."""
from __future__ import annotations

import multiprocessing as mp
import weakref
from itertools import islice
from typing import Iterable, Iterator

_WORKER = None  # the extractor of this worker process


def _init(settings: dict) -> None:
    global _WORKER
    from .extractor import Extractor

    _WORKER = Extractor(**settings)


def _work(batch: list) -> list:
    return list(_WORKER.extract_many(batch))


def _batches(documents: Iterable, size: int) -> Iterator[list]:
    it = iter(documents)
    while batch := list(islice(it, size)):
        yield batch


def start_pool(extractor):
    """The worker processes of an extractor: started once, reused by every ``extract_many``
    call (each worker loads the models once), closed by ``Extractor.close()`` or at exit."""
    settings = dict(lang=extractor.lang, models=extractor.models, whole_document=extractor.whole_document,
                    jobs=1, batch_size=extractor.batch_size, threads=1)
    ctx = mp.get_context("spawn")  # torch and fork do not mix
    pool = ctx.Pool(extractor.jobs, initializer=_init, initargs=(settings,))
    weakref.finalize(extractor, pool.terminate)
    return pool


def run_parallel(extractor, documents: Iterable) -> Iterator:
    pool = extractor._worker_pool()
    # imap keeps input order and streams: memory stays bounded by the batches in flight
    for results in pool.imap(_work, _batches(documents, max(1, extractor.batch_size // 2))):
        yield from results
