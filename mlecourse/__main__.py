"""``python -m mlecourse``: print the installed versions and whether they work together.

Exits with status 1 when a combination is incompatible (see :mod:`mlecourse.environment`).
"""

import sys

from mlecourse.environment import main

sys.exit(main(sys.argv[1:]))
