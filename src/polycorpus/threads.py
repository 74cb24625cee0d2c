"""Thread limits shared by the stages."""

from __future__ import annotations

from functools import cache
from typing import Any


@cache
def _blas_controller() -> Any:
    """Found once: looking up the loaded BLAS libraries costs more than the products it limits."""
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def one_blas_thread() -> Any:
    """A context in which numpy's BLAS runs on one thread: for many small matrix products, which
    on a second thread only wait for it (several times slower on a busy machine)."""
    return _blas_controller().limit(limits=1, user_api="blas")
