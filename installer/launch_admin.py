"""PyInstaller entry script for the admin command line (``shequ-admin``): ``shequ_desktop.cli.admin:main``."""

from shequ_desktop.cli.admin import main

if __name__ == "__main__":
    raise SystemExit(main())
