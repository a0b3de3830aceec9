"""Many tasks at once on Ray: a local cluster by default, an existing one with ``address``.

Bootstrap draws and scenario sweeps are many independent, seconds-long tasks over one large,
read-only input (a panel, a network). Ray runs them on every core here or on a cluster's nodes
with the same call, puts the shared input in its object store once instead of pickling it into
every task, and reports each task as it finishes, which feeds the progress bar.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from beltroad.errors import BeltroadError, ComputeFailed, ValidationFailed

T = TypeVar("T")
S = TypeVar("S")
R = TypeVar("R")


def start(address: str | None = None, workers: int | None = None) -> None:
    """Start a local Ray cluster of ``workers`` CPUs, or join the one at ``address``; once per process.

    Parameters
    ----------
    address
        An existing cluster (``ray://host:10001`` or ``host:6379``); a local one when None.
    workers
        CPUs of the local cluster (default: all of this machine's).
    """
    import ray

    if ray.is_initialized():
        return
    if workers is not None and workers < 1:
        msg = f"workers must be at least 1, got {workers}"
        raise ValidationFailed(msg)
    if address is not None and workers is not None:
        msg = "--workers sizes a local cluster; an existing one (--address) has its own"
        raise ValidationFailed(msg)
    options: dict[str, Any] = {
        "include_dashboard": False,
        "log_to_driver": False,
        "logging_level": logging.ERROR,
        # the workers must import this beltroad, also from a checkout run without installing it
        "runtime_env": {"env_vars": {"PYTHONPATH": os.environ.get("PYTHONPATH", "")}},
    }
    try:
        if address is None:
            ray.init(num_cpus=workers or os.cpu_count() or 1, **options)
        else:
            ray.init(address=address, **options)
    except (ConnectionError, RuntimeError, ValueError) as exc:
        where = f"the Ray cluster at {address}" if address else "a local Ray cluster"
        msg = f"cannot start or reach {where}: {str(exc).splitlines()[0]}"
        raise ComputeFailed(msg) from exc


def workers() -> int:
    """How many tasks the running cluster can run at once (its CPUs)."""
    import ray

    resources: dict[str, float] = ray.cluster_resources()  # type: ignore[no-untyped-call]
    return int(resources.get("CPU", 1))


def shutdown() -> None:
    """Stop the local cluster this process started (a no-op when none runs)."""
    import ray

    if ray.is_initialized():
        ray.shutdown()


def _call(fn: Callable[[T, S], R], item: T, shared: S) -> R:
    return fn(item, shared)


@dataclass(frozen=True)
class TaskFailure:
    """A task that raised, kept in its place among the results when the others must go on."""

    index: int
    error: str


def run_tasks(
    fn: Callable[[T, S], R],
    items: Sequence[T],
    shared: S,
    *,
    address: str | None = None,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    on_result: Callable[[int, R], None] | None = None,
    keep_going: bool = False,
) -> list[Any]:
    """``[fn(item, shared) for item in items]``, each call a Ray task; results in ``items``' order.

    Parameters
    ----------
    fn
        A module-level function (Ray ships it to the workers by reference).
    items
        One per task: a seed, a scenario, a chunk of draws.
    shared
        The large read-only input every task needs; it goes into Ray's object store once.
    address
        An existing cluster (``ray://host:10001`` or ``host:6379``); a local one when None.
    workers
        CPUs of the local cluster (default: all of this machine's).
    progress
        Called with (tasks done, tasks in all) as each one finishes.
    on_result
        Called with (item's index, its result) as each one finishes, so a long run can keep
        what is done (a sweep resumes from it).
    keep_going
        A task that raises becomes a ``TaskFailure`` in its place and the others run on;
        otherwise the first failure cancels the rest and is raised.

    Returns
    -------
    list
        What ``fn`` returned for each item (or, with ``keep_going``, its ``TaskFailure``).

    Raises
    ------
    ComputeFailed
        The cluster cannot be reached, or a task failed for a reason that is not the input's.
    BeltroadError
        A task's own error about the input (a panel that cannot be estimated, say), as raised.
    """
    import ray

    start(address, workers)
    remote: Any = ray.remote(num_cpus=1)(_call)
    handle = ray.put(shared)
    pending = {remote.remote(fn, item, handle): i for i, item in enumerate(items)}
    results: dict[int, Any] = {}
    if progress:
        progress(0, len(items))
    try:
        while pending:
            done, _ = ray.wait(list(pending), num_returns=1)
            for ref in done:
                index = pending.pop(ref)
                try:
                    results[index] = ray.get(ref)
                except ray.exceptions.RayTaskError as exc:
                    if not keep_going:
                        raise
                    cause = exc.cause
                    results[index] = TaskFailure(index, f"{type(cause).__name__}: {_first_line(cause)}")
                    continue
                if on_result:
                    on_result(index, results[index])
            if progress:
                progress(len(results), len(items))
    except ray.exceptions.RayTaskError as exc:
        for ref in pending:
            ray.cancel(ref)
        cause = exc.cause
        if isinstance(cause, BeltroadError):
            raise cause from None
        msg = f"a task failed: {type(cause).__name__}: {_first_line(cause)}"
        raise ComputeFailed(msg) from exc
    except ray.exceptions.RayError as exc:
        msg = f"the Ray cluster lost a task: {str(exc).splitlines()[0]}"
        raise ComputeFailed(msg) from exc
    return [results[i] for i in range(len(items))]


def _first_line(exc: BaseException) -> str:
    text = str(exc)
    return text.splitlines()[0] if text else ""
