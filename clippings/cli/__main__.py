"""``python -m clippings.cli``, as the ``clippings`` command."""

import sys

from clippings.cli import main

sys.exit(main())
