"""Snapshot tests: every screen drawn at the lobby sizes, in both themes and every language,
compared with reviewed SVGs."""
