"""Settings of every test process: one numba thread, and OpenMP threads that sleep when idle.

``make test`` runs the suite in two worker processes (pytest-xdist) on a 2-core machine. If each
ran its parallel kernels on every core, four OpenMP threads would share two cores, and the
threads that wait at the end of each parallel pass spin (OpenMP's default) while the thread
with work waits for a core: the suite ran 17-19 minutes instead of about 4.5, and one property
test took 174 s instead of 2. So each test process runs one numba thread, as trial and sweep
workers do (:func:`sim.parallel.numba_threads`); the tests of thread independence ask for two
explicitly (``tests/test_threads.py``). The ``sim`` processes that tests start (command-line
tests) inherit ``OMP_WAIT_POLICY=passive`` (unless it is set already), so their threads sleep
rather than spin while they wait. Neither setting changes a number: a seed gives the same results
on any number of threads.
"""

import os

os.environ.setdefault("OMP_WAIT_POLICY", "passive")

import numba  # OpenMP reads the environment when numba first starts its threads

numba.set_num_threads(1)
