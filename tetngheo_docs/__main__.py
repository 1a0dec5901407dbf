"""`python -m tetngheo_docs` runs the command-line interface."""

from tetngheo_docs.cli import main

if __name__ == "__main__":  # pragma: no cover
    main()
