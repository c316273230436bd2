"""Writing results: run folders, tables and their formats, output-path checks."""
