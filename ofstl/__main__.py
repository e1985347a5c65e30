"""Lets ``python -m ofstl`` behave exactly like the ``ofstl`` console script."""

from ofstl.cli import main

if __name__ == "__main__":
    main()
