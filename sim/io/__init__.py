"""Writing results safely: output-path checks before any work, and cleanup on every signal.

- :mod:`sim.io.output_path`: the one check of ``--out`` (and ``--write``, ``--output``) that every
  writing verb makes before it starts any work;
- :mod:`sim.io.cleanup`: SIGTERM and SIGHUP handled like Ctrl-C (temporary folders removed), and
  stale ``.incomplete-*`` folders of ended processes removed.
"""
