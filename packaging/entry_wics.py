"""PyInstaller entry point of the `wics` console executable (see packaging/wics.spec)."""
import sys

from wics_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
