"""``python -m mlecourse``: print the installed versions and whether they work together.

Exits with status 1 when a combination is incompatible (see :mod:`mlecourse.environment`).
``python -m mlecourse check LABEL FILE.py`` checks a solution to an exercise instead
(see :mod:`mlecourse.check`).
"""

import sys

if sys.argv[1:2] == ["check"]:
    from mlecourse.check._cli import main as check_main

    sys.exit(check_main(sys.argv[2:]))

from mlecourse.environment import main

sys.exit(main(sys.argv[1:]))
