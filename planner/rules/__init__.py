"""Rule tables (one JSON file per rule set) and the flag vocabulary, as package data."""
