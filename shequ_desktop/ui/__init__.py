"""The PySide6 user interface (the only package, with app.py, that imports Qt)."""

from shequ_desktop.ui.pyside_fixes import pin_singletons

pin_singletons()   # before any Qt call: PySide6 6.12.0 leaks references to None on CPython 3.11
