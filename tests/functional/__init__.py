"""Tests of the kiosk as it is used: Textual's pilot, real processes on pseudo-terminals, the
browser kiosk in Chromium."""
