"""The expected readouts of the book's explorable figures, one module per chapter.

`tests/browser/test_explorables.py` moves every explorable figure's slider to each step ``k``
and compares the page's ``<output>`` with ``EXPECTED[name](k)``, read from ``chNN.py`` (``NN``
from the figure's name ``fig-chNN-...``). Each ``chNN.py`` defines::

    EXPECTED: dict[str, Callable[[int], str]] = {"fig-chNN-slug": expected_readout}

where ``expected_readout(k)`` recomputes, with `mlecourse` (not copied from the notebook), the
readout the chapter shows at step ``k``. A figure without an entry fails the test.
``ch00.py`` is the demo figure of `tests/browser/fixtures/make_demo_book.py`, not a chapter.
"""
