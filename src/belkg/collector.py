"""The cyclic garbage collector kept off millions of long-lived rdflib terms.

Each full collection walks every object alive: with the collector running as usual, a
million-triple build spent a fifth of its time in it, and reading a build into rdflib
over a quarter. The build and the reading make few reference cycles, so the collector
simply rests; a serializer makes many short-lived ones, so there the collector keeps
running but leaves alone the objects that were alive before it began.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection inside; the collector is left as it was found. What
    cycles the work made are collected by the collector's next pass after it."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@contextmanager
def existing_objects_spared() -> Iterator[None]:
    """Collections inside pass over the objects made inside only (gc.freeze): the ones
    alive before (a dataset being serialised) are not walked again and again. Where
    objects are frozen already (a forked worker freezes its parent's), nothing changes:
    unfreezing afterwards would unfreeze those too."""
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
