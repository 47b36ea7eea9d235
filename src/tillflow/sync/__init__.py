"""Moving changes between tillflow and other platforms: consumers of the events log."""
