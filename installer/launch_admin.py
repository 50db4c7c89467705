"""PyInstaller entry script for the admin command line (``shequ-admin``): ``shequ_desktop.cli.admin:main``."""

import multiprocessing
import sys

# A frozen program starts its helper processes (the search-index builder of the first sync) by
# running itself again: this turns such a start into the helper instead of a second program.
multiprocessing.freeze_support()

# Output redirected to a file or a pipe (an IT admin's script) is written in the ANSI code page, which on a
# Windows whose system locale is not Chinese cannot encode Chinese: "UnicodeEncodeError: 'charmap' codec".
# Then write UTF-8 instead (a console is unaffected: Python writes to it as Unicode).
for _stream in (sys.stdout, sys.stderr):
    try:
        "社区".encode(_stream.encoding or "ascii")
    except (UnicodeEncodeError, LookupError):
        try:
            _stream.reconfigure(encoding="utf-8")
        except (AttributeError, ValueError):
            pass
    except AttributeError:
        pass

from shequ_desktop.cli.admin import main  # noqa: E402

if __name__ == "__main__":
    raise SystemExit(main())
