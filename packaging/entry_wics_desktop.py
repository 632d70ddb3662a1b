"""PyInstaller entry point of the `wics-desktop` windowed executable (see packaging/wics.spec)."""
import sys

from wics_desktop.ui.main import main

if __name__ == "__main__":
    sys.exit(main())
