"""Files a run writes and reads: run folders, provenance, table formats, the ``sim run`` work."""
