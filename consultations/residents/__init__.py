"""The residents' own side: my participation, profile, privacy (download, delete)."""
