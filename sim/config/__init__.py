"""What a run is told: scenario files, the parameter registry, the ODD's generated blocks."""
