"""Build and run the Townsquare hub: ``python build.py --help``."""

from portal.cli import main

if __name__ == "__main__":
    main()
