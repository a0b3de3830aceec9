"""``python -m beltroad.cli``: the same command as ``beltroad``."""

from beltroad.cli import main

main()
