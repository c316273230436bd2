"""SIGTERM and SIGHUP end a verb as Ctrl-C does: no half-written folder is left behind.

``timeout`` and job schedulers send SIGTERM, closing a terminal sends SIGHUP. The verbs are
started as a user starts them (a subprocess) and signalled while they write their run folder
(the moment a ``.incomplete-*`` folder appears), or while they compute. A folder left by a
process killed outright (SIGKILL) is removed at the next run in the same place.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import sim.cli
from sim.cli import main
from sim.io.cleanup import Terminated, exit_code, interrupt_on_signals, interrupt_within

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"

RUN = """base = "{base}"
[run]
weeks = 2
[population]
n_practices = 2
patients_per_practice = 100
[outputs]
figures = true          # figures and GraphML make the writing last long enough to signal
graphml = true
"""

TRIAL = """base = "{base}"
[trial]
outcome_week = 4
batch_size = 2
"""


def start(tmp_path: Path, *args: str | Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "sim", *map(str, args), "--no-progress"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def signal_when_writing(process: subprocess.Popen, root: Path, signum: int) -> None:
    """Send ``signum`` as soon as a ``.incomplete-*`` folder appears under ``root``."""
    deadline = time.monotonic() + 240
    while not any(root.glob(".incomplete-*")):
        assert process.poll() is None, f"ended before writing:\n{process.communicate()[1]}"
        assert time.monotonic() < deadline, "the run folder never started"
        time.sleep(0.005)
    process.send_signal(signum)


def incomplete(folder: Path) -> list[Path]:
    return sorted(folder.rglob(".incomplete-*"))


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_a_signal_while_sim_run_writes_leaves_no_incomplete_folder(signum, tmp_path):
    scenario = tmp_path / "signalled.toml"
    scenario.write_text(RUN.format(base=(SCENARIOS / "usual_care.toml").as_posix()))
    out = tmp_path / "out"
    process = start(tmp_path, "run", scenario, "--out", out)
    signal_when_writing(process, out / "signalled", signum)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 128 + signum, f"expected exit {128 + signum}:\n{err}"
    assert "Traceback" not in err, err
    assert incomplete(out) == [], f"expected no .incomplete-* folder left, got {incomplete(out)}"


def test_sigterm_while_sim_trial_writes_leaves_no_incomplete_folder(tmp_path):
    scenario = tmp_path / "trial.toml"
    scenario.write_text(TRIAL.format(base=(SCENARIOS / "bright.toml").as_posix()))
    out = tmp_path / "out"
    args = ("trial", scenario, "--replicates", "2", "--workers", "1", "--out", out)
    process = start(tmp_path, *args)
    signal_when_writing(process, out / "trial", signal.SIGTERM)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 143, f"expected exit 143:\n{err}"
    assert "Traceback" not in err, err
    assert incomplete(out) == [], f"expected no .incomplete-* folder left, got {incomplete(out)}"


def test_sigterm_while_a_trial_computes_on_workers_ends_it_and_writes_nothing(tmp_path):
    out = tmp_path / "out"
    # 400 replicates take about a minute on 2 idle cores (40 took under 8 s: the trial had
    # finished computing, and was writing, when the signal came)
    args = ("trial", SCENARIOS / "bright.toml", "--replicates", "400", "--workers", "2")
    process = start(tmp_path, *args, "--out", out)
    time.sleep(8)  # imported, computing
    assert process.poll() is None, "expected the trial still running"
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 143, f"expected exit 143:\n{err}"
    assert "Traceback" not in err, err
    assert not out.exists() or sorted(out.rglob("*")) == [], "expected nothing written"


def test_a_stale_incomplete_folder_of_an_ended_process_is_removed_at_the_next_run(tmp_path, capsys):
    scenario = tmp_path / "tiny.toml"
    scenario.write_text(
        f'base = "{(SCENARIOS / "usual_care.toml").as_posix()}"\n[run]\nweeks = 1\n'
        "[population]\nn_practices = 1\npatients_per_practice = 4\n"
        '[outputs]\nfigures = false\nformats = ["csv"]\n'
    )
    ended = subprocess.run([sys.executable, "-c", "pass"], check=True)
    assert ended.returncode == 0
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    root = tmp_path / "out" / "tiny"
    stale = root / f".incomplete-20200101-000000-seed1-{gone.pid}"
    alive = root / f".incomplete-20200101-000000-seed1-{os.getppid()}"  # a running process
    (stale / "tables").mkdir(parents=True)
    alive.mkdir()
    assert main(["run", str(scenario), "--out", str(tmp_path / "out"), "--no-progress"]) == 0
    assert not stale.exists(), "expected the folder of the ended process removed"
    assert alive.exists(), "expected the folder of a running process kept"
    assert f"removed {stale}" in capsys.readouterr().err, "expected the removal reported"


def test_sigterm_inside_the_block_raises_terminated_and_exits_143():
    with pytest.raises(Terminated) as caught, interrupt_on_signals():
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)  # the handler raises before this ends
    assert caught.value.signum == signal.SIGTERM
    assert exit_code(caught.value) == 143 and exit_code(KeyboardInterrupt()) == 130
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL, "expected the handler restored"


def test_a_sigterm_that_a_c_callback_swallows_is_raised_again(capfd):
    """Numba's compiler calls back into Python: a signal landing there must not be lost."""
    callback = ctypes.CFUNCTYPE(None)(lambda: os.kill(os.getpid(), signal.SIGTERM))
    started, hook = time.monotonic(), sys.unraisablehook
    with pytest.raises(Terminated) as caught, interrupt_on_signals():
        callback()  # Terminated is raised inside the callback, which swallows it
        time.sleep(5)  # raised again before this ends
    assert caught.value.signum == signal.SIGTERM
    assert time.monotonic() - started < 4, "expected the signal raised again at once"
    assert "Exception ignored" not in capfd.readouterr().err, "expected no swallowed report"
    assert sys.unraisablehook is hook, "expected the hook restored"


def test_an_interrupt_that_a_c_function_turns_into_a_system_error_ends_the_verb_as_a_signal(
    monkeypatch, capsys
):
    """Numba's dispatcher calls back into Python: a signal landing there leaves as SystemError."""

    def interrupted_in_a_callback(args: argparse.Namespace) -> int:
        try:
            raise Terminated(signal.SIGTERM)
        except Terminated as exc:
            raise SystemError("CPUDispatcher returned a result with an exception set") from exc

    def failed(args: argparse.Namespace) -> int:
        raise SystemError("an error of its own")

    parser = argparse.ArgumentParser()
    monkeypatch.setattr(sim.cli, "_parser", lambda: parser)
    parser.set_defaults(handler=interrupted_in_a_callback)
    assert main([]) == 143, "expected the exit code of SIGTERM"
    assert "interrupted; nothing half-written was kept" in capsys.readouterr().err
    parser.set_defaults(handler=failed)
    with pytest.raises(SystemError, match="an error of its own"):
        main([])


def test_interrupt_within_follows_causes_and_contexts_only_to_an_interrupt() -> None:
    ctrl_c = KeyboardInterrupt()
    try:
        try:
            raise ctrl_c
        except KeyboardInterrupt:
            raise ValueError("while handling it") from None
    except ValueError as exc:
        assert interrupt_within(exc) is None, "expected no interrupt behind a suppressed context"
    try:
        try:
            raise ctrl_c
        except KeyboardInterrupt:
            raise SystemError("wrapped")  # noqa: B904  (the context, as a C function leaves it)
    except SystemError as exc:
        assert interrupt_within(exc) is ctrl_c, "expected the Ctrl-C behind the context"
    assert interrupt_within(SystemError("plain")) is None
