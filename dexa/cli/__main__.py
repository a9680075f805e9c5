"""``python -m dexa.cli``: the same as the ``dexa`` console script."""

import sys

from dexa.cli import main

sys.exit(main())
