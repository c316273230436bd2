"""Parameter declarations, one module per scenario section (assembled in :mod:`sim.parameters`)."""
