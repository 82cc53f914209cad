"""Exercise solutions, one module per chapter (``ch01``, ``ch02``, ...).

The book shows each solution with ``literalinclude :pyobject:`` and runs it in a code
cell, so the code here is the only copy: import it in your own work with, e.g.,
``from mlecourse.solutions.ch01 import bernoulli_likelihood_grid``.
"""
