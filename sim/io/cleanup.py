"""Cleanup on every signal: SIGTERM and SIGHUP end a verb as Ctrl-C does; stale folders go.

``timeout``, job schedulers and closing a terminal end a process with SIGTERM or SIGHUP, whose
default action kills it on the spot, leaving a half-written ``.incomplete-*`` run folder behind.
:func:`interrupt_on_signals` turns them into :class:`Terminated`, a :class:`KeyboardInterrupt`,
so that every ``finally`` and ``except BaseException`` that cleans up after Ctrl-C runs for them
too. A process killed outright (SIGKILL, power loss) still leaves its folder:
:func:`remove_stale` removes such folders, once their process has ended, at the next run in the
same folder.
"""

from __future__ import annotations

import _thread
import os
import re
import shutil
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

#: Signals handled like Ctrl-C (those that exist on this system).
SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))
#: Prefix of a run folder being written (``.incomplete-<run id>-<process id>``).
INCOMPLETE = ".incomplete-"
_OWNER = re.compile(r"^\.incomplete-.+-(\d+)$")


class Terminated(KeyboardInterrupt):
    """The process was asked to end by a signal (SIGTERM, SIGHUP); handled like Ctrl-C.

    Attributes:
        signum: The signal's number (the exit code is ``128 + signum``, as a shell reports it).
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def exit_code(interrupt: KeyboardInterrupt) -> int:
    """The exit code of an interrupted verb: 130 for Ctrl-C, ``128 + signum`` for a signal."""
    return 128 + interrupt.signum if isinstance(interrupt, Terminated) else 130


def interrupt_within(error: BaseException) -> KeyboardInterrupt | None:
    """The Ctrl-C or signal behind ``error``, if a C function turned one into another error.

    A :class:`KeyboardInterrupt` (or :class:`Terminated`) raised while Python code runs inside a
    C function that calls back into Python (numba's dispatcher unpickles a kernel's constants that
    way) can come out of that function as a :class:`SystemError` ("returned a result with an
    exception set") whose cause is the interrupt. Follows ``__cause__``, and ``__context__``
    unless it was suppressed (``raise ... from None``).

    Returns:
        The interrupt, or None if ``error`` does not come from one.
    """
    seen: set[int] = set()
    link: BaseException | None = error
    while link is not None and id(link) not in seen:
        if isinstance(link, KeyboardInterrupt):
            return link
        seen.add(id(link))
        suppressed = link.__suppress_context__  # ``raise ... from None``: not followed
        link = (
            link.__cause__
            if link.__cause__ is not None
            else (None if suppressed else link.__context__)
        )
    return None


#: Seconds after which a :class:`Terminated` that a C callback swallowed is raised again.
REDELIVERY_SECONDS = 0.05


@contextmanager
def interrupt_on_signals() -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP raise :class:`Terminated` (main thread only).

    After the first such signal, further ones are ignored, so that they cannot cut the cleanup
    short (Ctrl-C still can; SIGKILL always ends the process). A signal that arrives while
    Python code runs inside a C callback (numba's compiler calls back into Python while it caches
    a kernel) raises :class:`Terminated` there, where the callback's caller prints it and carries
    on; such a swallowed :class:`Terminated` is raised again in the main thread a moment later
    (:data:`REDELIVERY_SECONDS`), and as often as it is swallowed.
    """

    def interrupt(signum: int, frame: object) -> None:
        for number in SIGNALS:
            signal.signal(number, signal.SIG_IGN)
        raise Terminated(signum)

    def redeliver(unraisable: sys.UnraisableHookArgs) -> None:
        if not isinstance(unraisable.exc_value, Terminated):
            hook(unraisable)
            return
        signum = unraisable.exc_value.signum
        signal.signal(signum, interrupt)  # the hook runs in the main thread
        timer = threading.Timer(REDELIVERY_SECONDS, _signal_main_thread, (signum,))
        timer.daemon = True
        timer.start()

    previous = {number: signal.signal(number, interrupt) for number in SIGNALS}
    hook, sys.unraisablehook = sys.unraisablehook, redeliver
    try:
        yield
    finally:
        sys.unraisablehook = hook
        for number, handler in previous.items():
            signal.signal(number, handler)


def _signal_main_thread(signum: int) -> None:
    """Send ``signum`` to the main thread (waking it from a sleep or a wait)."""
    if hasattr(signal, "pthread_kill"):
        signal.pthread_kill(threading.main_thread().ident, signum)
    else:  # no POSIX threads: only flag it (runs when the main thread next executes Python)
        _thread.interrupt_main(signum)


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` runs on this machine (killed but not yet reaped counts as ended)."""
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, PermissionError):  # gone, or the pid now belongs to another user
        return False
    except OverflowError:  # not a process id
        return False
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:  # no /proc here: trust the signal check
        return True
    return stat.rpartition(")")[2].split()[0] not in ("Z", "X")


def run_id(seed: int, when: float | None = None) -> str:
    """Name a run by its UTC start time and seed, e.g. ``20261127-061500-seed42``."""
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime(when))
    return f"{stamp}-seed{seed}"


def incomplete_name(name: str) -> str:
    """The temporary name of a run folder that this process is writing."""
    return f"{INCOMPLETE}{name}-{os.getpid()}"


def longest_run_name(seed: int) -> str:
    """The longest name a run folder of ``seed`` may take (to check its length before work)."""
    return incomplete_name(run_id(seed)) + "-9999999"


def remove_stale(folder: Path) -> list[Path]:
    """Remove the ``.incomplete-*`` folders in ``folder`` whose process has ended; return them.

    Folders of processes still running (another run writing into the same folder) are kept.
    """
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    for entry in folder.iterdir():
        owner = _OWNER.match(entry.name)
        if owner is None or not entry.is_dir() or entry.is_symlink():
            continue
        pid = int(owner[1])
        if pid != os.getpid() and not process_alive(pid):
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed
