"""Reference data and the demo catalogue, loaded through the item services."""
