"""tillflow: an open-source point of sale built for integration."""
