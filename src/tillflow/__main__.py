"""``python -m tillflow`` runs the ``tillflow`` command."""

from tillflow.cli import main

main()
