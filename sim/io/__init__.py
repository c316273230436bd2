"""Files a run writes and reads: run folders, provenance, table formats, output checks, cleanup."""
