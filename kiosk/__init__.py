"""A private, accessible waiting-room kiosk about intensive outpatient treatment (IOP)."""

import os

__version__ = "1.0.0"

# The kiosk uses no pydantic plugins; without this, pydantic scans every installed package's
# entry points the first time a model is built, which costs start-up time on a small PC.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
