"""Safety net for a PySide6 6.12.0 reference-count bug that kills the process on CPython 3.11.

The project pins PySide6 6.11.3, which does not have the bug; this only acts if 6.12 gets installed.

Measured here: every call of a C++ method returning void (``label.setText``, ``widget.hide``,
``timer.setInterval`` …) and every Python ``QTranslator.translate`` call with a null disambiguation
takes one reference to ``None`` that it never gave. From CPython 3.12 ``None``/``True``/``False``
are immortal, so nothing happens there; on 3.11 the count reaches zero after a few thousand calls
and the interpreter aborts ("none_dealloc" / "bool_dealloc"), often during garbage collection.
We add a very large number of references to these singletons once; it is never released, which is
harmless (they live for the whole process anyway).
"""

from __future__ import annotations

import sys

_EXTRA_REFERENCES = 1 << 40
_pinned = False


def pin_singletons() -> None:
    """Make None/True/False practically immortal on CPython < 3.12 (no-op elsewhere, idempotent)."""
    global _pinned
    import PySide6
    if (_pinned or sys.version_info >= (3, 12) or sys.implementation.name != "cpython"
            or not PySide6.__version__.startswith("6.12.")):
        return
    import ctypes   # only on the affected version: ctypes costs start-up time
    for singleton in (None, True, False):
        ctypes.c_ssize_t.from_address(id(singleton)).value += _EXTRA_REFERENCES
    _pinned = True
