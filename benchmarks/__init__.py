"""Performance benchmarks of the kiosk against a bare Textual app (``make bench``).

``python -m benchmarks`` runs them all; see :mod:`benchmarks.__main__`. The soak's event
generator and health check (:mod:`benchmarks.monkey`) are shared with
``tests/functional/test_soak.py``.
"""

from kiosk import set_frame_rate

# As `kiosk run` does, before any benchmark module imports Textual (it reads the setting then).
set_frame_rate()
