"""Files a run writes and reads: run folders, provenance, CSV tables, the ``sim run`` work."""
