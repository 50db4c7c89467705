"""PyInstaller entry script for the GUI (``shequ-desktop``): the same as the ``shequ_desktop.app:main`` console script."""

from shequ_desktop.app import main

if __name__ == "__main__":
    raise SystemExit(main())
