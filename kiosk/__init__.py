"""A private, accessible waiting-room kiosk about intensive outpatient treatment (IOP)."""

__version__ = "1.0.0"
