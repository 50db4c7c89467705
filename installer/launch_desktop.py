"""PyInstaller entry script for the GUI (``shequ-desktop``): the same as the ``shequ_desktop.app:main`` console script."""

import multiprocessing

# A frozen program starts its helper processes (the search-index builder of the first sync) by
# running itself again: this turns such a start into the helper instead of a second program.
multiprocessing.freeze_support()

from shequ_desktop.app import main

if __name__ == "__main__":
    raise SystemExit(main())
