"""The rules of `book/notation.md` that a program can check, over every chapter's Markdown.

`book/notation.md` is the book's one table of symbols. These tests read the Markdown cells of
every chapter (and the pages around them) and reject the forms the table rules out. Each rule
is a heuristic on the TeX source, so each one is also tested on examples of what it must catch
and what it must let through (`test_rule_catches` / `test_rule_allows`).

Rules (notation.md, "Conventions" and the tables):
- KL is written with a double bar, between capital distributions: `\\KL(P \\,\\|\\, Q)`.
- `\\ell` is the log-likelihood only: the loss of example i is `\\mathcal{L}_i`, never `\\ell_i`,
  `\\ell(y, ...)` or a derivative of `\\ell` with respect to a logit.
- `\\eta` is the natural parameter of an exponential family, and nothing else.
- The sigmoid `\\sigma(z)` and a standard deviation `\\sigma` never share one formula.
- Classes are indexed from 0: never `k = 1, \\dots, K` or `\\sum_{k=1}^K`.
- The Bernoulli parameter is p: never `\\operatorname{Bernoulli}(\\theta)`, and no `\\theta_i`
  for a per-example prediction from chapter 4 on.

The package's docstrings (the book's API pages) follow the same table; their rules read the
whole docstring, its Python lines and Unicode shorthand included: K classes indexed by k with
class weights c_k and c_+ (never C, w_c or w_+), the sample weight omega_i (never s_i), the loss
of an example script-L_i (never l_i or a Unicode ell), no t, r or u borrowed for a ratio, a
residual or a log link's argument (the residual is u), and the product underflowing said in
one sentence that links Chapter 2 (`sec-ch02-product-to-sum`).
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "book" / "chapters").glob("*.ipynb"))
PAGES = [ROOT / "book" / "intro.md", ROOT / "book" / "notation.md"]


# -- reading the book's Markdown and its math ---------------------------------------------------


def _markdown_cells(path: Path) -> list[str]:
    if path.suffix == ".md":
        return [path.read_text(encoding="utf-8")]
    notebook = json.loads(path.read_text(encoding="utf-8"))
    return [
        "".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "markdown"
    ]


_DISPLAY = re.compile(
    r"\$\$(.+?)\$\$"  # $$ ... $$
    r"|```\{math\}(.+?)```"  # ```{math} ... ```
    r"|(\\begin\{(equation|align|gather|multline)\*?\}.+?\\end\{\4\*?\})",  # bare amsmath
    re.DOTALL,
)
_INLINE = re.compile(r"(?<![\\$])\$([^$\n]+?)\$")


def math_blocks(markdown: str) -> list[str]:
    """Every formula in a Markdown text: display blocks first, then inline `$...$`."""
    blocks = [next(g for g in m.groups() if g) for m in _DISPLAY.finditer(markdown)]
    rest = _DISPLAY.sub(" ", markdown)
    rest = re.sub(r"```.*?```", " ", rest, flags=re.DOTALL)  # code blocks hold no math
    rest = re.sub(r"`[^`\n]*`", " ", rest)  # nor does inline code
    return blocks + _INLINE.findall(rest)


# -- the rules: each takes one Markdown cell and returns what it finds wrong --------------------

_KL = re.compile(
    r"(?:\\KL|\\mathrm\{KL\}|\\operatorname\{KL\})\s*(?:\\left)?\s*\("  # in a formula
    r"|(?<![\\\w])KL\("  # KL(p | q) in plain text, no space before the parenthesis
)


def _balanced(text: str, start: int) -> str:
    """The text inside the parenthesis that opens just before `start`."""
    depth, i = 1, start
    while i < len(text) and depth:
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        i += 1
    return text[start : i - 1]


def kl_written_with_double_bar(cell: str) -> list[str]:
    found = []
    for formula in [*math_blocks(cell), cell]:  # formulas, and KL(p | q) in plain text
        for match in _KL.finditer(formula):
            inside = _balanced(formula, match.end())
            if "=" in inside or not inside.strip():
                continue  # not a KL of two distributions (e.g. an argument list)
            if "\\|" not in inside and "‖" not in inside:
                found.append(f"KL without a double bar: {match.group(0)}{inside})")
            elif re.fullmatch(r"\s*[pq]\s*(\\,)?\s*(\\\||‖)\s*(\\,)?\s*[pq]\s*", inside):
                found.append(f"KL of lowercase p, q (the table has P, Q): KL({inside})")
    return sorted(set(found))


def ell_is_the_log_likelihood(cell: str) -> list[str]:
    found = []
    for formula in math_blocks(cell):
        found += [f"per-example \\ell: {m}" for m in re.findall(r"\\ell_\{?i\b[^ ]{0,6}", formula)]
        for match in re.finditer(r"\\ell\s*(?:\\left|\\big|\\Big)?\(", formula):
            inside = _balanced(formula, match.end())
            inside = re.sub(r"\\bar\s*\{?y", " ", inside)  # the sample mean is a parameter value
            if re.search(r"\by\b|\by_|\bz\b|\bz_|\\mathbf\{[yz]\}", inside):
                found.append(f"\\ell of a target or logit (a loss): \\ell({inside})")
        if re.search(r"\\frac\{\\partial\s*\\ell\}\{\\partial\s*(z|f|\\mathbf\{z\})", formula):
            found.append("derivative of \\ell with respect to a logit (that is the loss's)")
    return sorted(set(found))


def eta_only_as_natural_parameter(cell: str) -> list[str]:
    if re.search(r"natural parameter|exponential family|exponential-family", cell, re.I):
        return []
    return sorted(
        {
            f"\\eta outside the natural parameter: {f.strip()[:60]}"
            for f in math_blocks(cell)
            if re.search(r"\\eta(?![a-zA-Z])", f)
        }
    )


_SIGMOID = re.compile(r"\\sigma\s*(?:\\!|\\,)?\s*(?:\\left|\\bigl?|\\Bigl?)?\s*\(")
_STD = re.compile(r"\\sigma(?![a-zA-Z])(?!\s*(?:\\!|\\,)?\s*(?:\\left|\\bigl?|\\Bigl?)?\s*\()")


def sigmoid_and_std_apart(cell: str) -> list[str]:
    return sorted(
        {
            f"sigmoid \\sigma( and a standard deviation \\sigma in one formula: {f.strip()[:70]}"
            for f in math_blocks(cell)
            if _SIGMOID.search(f) and _STD.search(f)
        }
    )


_ONE_BASED = re.compile(
    r"k\s*=\s*1\s*,\s*\\[lc]?dots\s*,\s*K\b"  # k = 1, \dots, K
    r"|_\{\s*k\s*=\s*1\s*\}\s*\^\s*\{?\s*K\s*\}?"  # \sum_{k=1}^K
    r"|\\\{\s*1\s*,\s*\\[lc]?dots\s*,\s*K\s*\\\}"  # \{1, \dots, K\}
)


def classes_from_zero(cell: str) -> list[str]:
    return sorted(
        {
            f"classes counted from 1: {m.group(0)}"
            for f in math_blocks(cell)
            for m in _ONE_BASED.finditer(f)
        }
    )


def bernoulli_parameter_is_p(cell: str, chapter: int) -> list[str]:
    found = set()
    for f in math_blocks(cell):
        for m in re.finditer(r"Bernoulli\}?\s*(?:\\left|\\big)?\(\s*\\theta", f):
            found.add(f"Bernoulli parameter written \\theta: {m.group(0)}")
        if chapter >= 4:
            # a plain theta_i; a bold theta_i (all parameters of example i's distribution) is not
            # a Bernoulli probability
            for m in re.finditer(r"(?<!\\boldsymbol)(?<!\\bm)(?<!\\boldsymbol\{)\\theta_\{?i\b", f):
                found.add(f"\\theta_i as a per-example prediction (use p_i): {m.group(0)}")
    return sorted(found)


RULES: dict[str, Callable[[str], list[str]]] = {
    "kl": kl_written_with_double_bar,
    "ell": ell_is_the_log_likelihood,
    "eta": eta_only_as_natural_parameter,
    "sigma": sigmoid_and_std_apart,
    "classes": classes_from_zero,
}


def _chapter_number(path: Path) -> int:
    match = re.match(r"(\d+)_", path.name)
    return int(match.group(1)) if match else 0


def _violations(path: Path) -> Iterator[str]:
    for index, cell in enumerate(_markdown_cells(path)):
        where = f"{path.relative_to(ROOT)} (Markdown cell {index})"
        for rule in RULES.values():
            for problem in rule(cell):
                yield f"{where}: {problem}"
        for problem in bernoulli_parameter_is_p(cell, _chapter_number(path)):
            yield f"{where}: {problem}"


# -- the book follows the table -------------------------------------------------------------------


def test_there_are_chapters_to_check() -> None:
    assert len(CHAPTERS) >= 8, f"expected the eight chapters, found {len(CHAPTERS)}"
    assert sum(len(math_blocks(c)) for p in CHAPTERS for c in _markdown_cells(p)) > 100


@pytest.mark.parametrize("path", CHAPTERS + PAGES, ids=lambda p: p.name)
def test_page_follows_the_notation_table(path: Path) -> None:
    problems = list(_violations(path))
    assert not problems, f"{len(problems)} notation problems:\n" + "\n".join(problems)


# -- each rule catches what it must, and lets the table's own forms through ---------------------

CAUGHT = [
    ("kl", r"so $KL(p | q) \ge 0$"),
    ("kl", r"$$\mathrm{KL}(p \mid q) = \sum_k p_k \log \frac{p_k}{q_k}$$"),
    ("kl", r"$\KL(p \,\|\, q)$"),
    ("kl", "minimising KL(p || q) in plain text"),
    ("ell", r"$$\ell_i = -\log p(y_i \mid \mathbf{x}_i)$$"),
    ("ell", r"the loss $\ell(y, z) = \operatorname{softplus}(z) - yz$"),
    ("ell", r"$$\frac{\partial \ell}{\partial z} = \sigma(z) - y$$"),
    ("eta", r"with learning rate $\eta = 0.1$"),
    ("sigma", r"$$p = \sigma(w_0 + w x), \qquad y \sim \mathcal{N}(\mu, \sigma^2)$$"),
    ("sigma", r"$\sigma\!\left(z\right) \sigma^2$"),
    ("classes", r"for classes $k = 1, \dots, K$"),
    ("classes", r"$$\sum_{k=1}^{K} p_k = 1$$"),
    ("classes", r"$y \in \{1, \dots, K\}$"),
]

ALLOWED = [
    ("kl", r"$$\KL(P \,\|\, Q) = \sum_k P(k) \log \frac{P(k)}{Q(k)}$$"),
    ("kl", r"$H(P, Q) = H(P) + \KL(\hat P_n \,\|\, Q)$"),
    ("kl", "KL(empirical ‖ model) in plain text"),
    ("kl", "minimising KL (maximum likelihood) in words"),
    ("ell", r"$\ell(\theta) = \log L(\theta)$ and $\ell(\mu, \sigma)$"),
    ("ell", r"the profile $\ell(\bar y, \sigma)$"),
    ("ell", r"$$\mathcal{L}_i = -\log p(y_i \mid \mathbf{x}_i)$$"),
    ("eta", r"the natural parameter $\eta = \log \frac{p}{1 - p}$ of an exponential family"),
    ("sigma", r"$p = \sigma(z)$ and, elsewhere, $\mathcal{N}(\mu, \sigma^2)$"),
    ("sigma", r"$$p = \operatorname{sigmoid}(z), \qquad \mathcal{N}(\mu, \sigma^2)$$"),
    ("classes", r"$k = 0, \dots, K-1$ and $$\sum_{k=0}^{K-1} p_k = 1$$"),
    ("classes", r"$$\sum_{i=1}^{n} \mathcal{L}_i$$"),
]


@pytest.mark.parametrize(("rule", "text"), CAUGHT)
def test_rule_catches(rule: str, text: str) -> None:
    assert RULES[rule](text), f"rule {rule!r} let through: {text}"


@pytest.mark.parametrize(("rule", "text"), ALLOWED)
def test_rule_allows(rule: str, text: str) -> None:
    assert RULES[rule](text) == [], f"rule {rule!r} rejected the table's own form: {text}"


def test_bernoulli_rule() -> None:
    assert bernoulli_parameter_is_p(r"$y \sim \operatorname{Bernoulli}(\theta)$", 1)
    assert bernoulli_parameter_is_p(r"$$p(y_i) = \theta_i^{y_i}$$", 4)
    assert not bernoulli_parameter_is_p(r"$$p(y_i) = \theta_i^{y_i}$$", 2)  # before chapter 4
    assert not bernoulli_parameter_is_p(r"$y_i \sim \operatorname{Bernoulli}(p_i)$", 4)
    assert not bernoulli_parameter_is_p(r"$\mathcal{D}(\boldsymbol\theta_i)$", 8)


def test_math_blocks_reads_every_delimiter() -> None:
    text = "a $x$ b\n$$y$$\n```{math}\nz\n```\n`$not math$` and\n```python\n$q$\n```"
    assert sorted(math_blocks(text)) == ["\nz\n", "x", "y"]


# -- the package's docstrings (the API pages of the book) follow the same table ------------------

PACKAGE = [
    path
    for path in sorted((ROOT / "mlecourse").rglob("*.py"))
    # the solutions are shown without their docstrings; the cheat sheet is data
    if "solutions" not in path.parts and path.name != "cheatsheet.py"
]


def docstrings(source: str) -> Iterator[tuple[str, str]]:
    """``(name, docstring)`` of a module, its classes and its functions."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            doc = ast.get_docstring(node, clean=True)
            if doc:
                yield getattr(node, "name", "<module>"), doc


def docstring_as_markdown(doc: str) -> str:
    """The formulas of a docstring (``.. math::`` blocks and ``:math:`` roles) as ``$$...$$``."""
    formulas = re.findall(r":math:`([^`]+)`", doc)
    formulas += re.findall(r"\.\. math::\n((?:[ \t]*\n|[ \t]+\S.*\n?)+)", doc)
    return "\n".join(f"$${f}$$" for f in formulas)


def ell_is_never_a_loss(doc: str) -> list[str]:
    """In the package, ``\\ell`` (or ℓ) is only ever the log-likelihood ``\\ell(\\theta)``."""
    found = [
        f"\\ell that is not \\ell(\\theta): {m.group(0)}"
        for f in math_blocks(doc)
        for m in re.finditer(r"\\ell(?!\s*\(\s*\\(?:theta|boldsymbol))[^ ]{0,8}", f)
    ]
    found += ["ℓ (the log-likelihood's letter) in the text"] if "ℓ" in doc else []
    return sorted(set(found))


def logits_are_z(doc: str) -> list[str]:
    """Logits are z (notation.md), never f."""
    return sorted(
        {f"logits written f: {m.group(0)}" for f in math_blocks(doc)
         for m in re.finditer(r"\\partial\s*f_k|softmax\}?\s*\(\s*f\s*\)", f)}
    )  # fmt: skip


def components_from_zero(doc: str) -> list[str]:
    """Classes and mixture components counted from 0: never ``\\sum_{c=1}^C`` or ``_{k=1}^K``."""
    pattern = r"_\{\s*[cjk]\s*=\s*1\s*\}\s*\^\s*\{?\s*[CJK]\s*\}?"
    return sorted(
        {f"counted from 1: {m.group(0)}" for f in math_blocks(doc)
         for m in re.finditer(pattern, f)}
    )  # fmt: skip


# KL is left out: information.kl_divergence(p, q) takes probability vectors p and q, and its
# docstrings write KL(p || q) of those vectors
DOC_RULES: dict[str, Callable[[str], list[str]]] = {
    "ell": ell_is_never_a_loss,
    "logits": logits_are_z,
    "classes": components_from_zero,
}


# The rules below read the whole docstring, its ``code`` and Python lines included: a
# docstring's Python line and its Unicode shorthand (``Σ ωᵢ·𝓛ᵢ``) are read as notation too.


def _find(patterns: dict[str, str], doc: str) -> list[str]:
    return sorted(
        {f"{what}: {m.group(0)}" for what, pattern in patterns.items()
         for m in re.finditer(pattern, doc)}
    )  # fmt: skip


def classes_are_k_with_weights_c(doc: str) -> list[str]:
    """K classes indexed by k, class weights c_k and c_+ (never C classes, w_c or w_+)."""
    return _find(
        {
            "C for the number of classes (the table: K)": (
                r"(?<![\\\w])C\s*-\s*1\b|[/]\s*C\b(?!\w)|\\frac\{\\varepsilon\}\{C\}"
                r"|\(C,\)|\[0,\s*C\)|\bN,\s*C,|\^\{?C\b|\bC\s*>=\s*2"
            ),
            "class weight written w (the table: c_k, c_+)": (
                r"(?<![\\\w])w_(?:c\b|k\b|\{k|\{c|\+|y\b)|(?<![\\\w])w\[k\]"
            ),
            "class index c (the table: k)": r"(?:\\sum|Σ)_\{?c\b|(?<![\\\w])p_c\b|y'_c\b",
        },
        doc,
    )


def sample_weight_is_omega(doc: str) -> list[str]:
    """The weight of example i is ω_i (never s_i: s is the score)."""
    return _find({"sample weight written s (the table: ω_i)": r"sᵢ|(?<![\\\w])s_\{?i\b"}, doc)


def loss_of_an_example_is_script_l(doc: str) -> list[str]:
    """The loss of example i is 𝓛ᵢ: no ℓ anywhere, no lᵢ or ``l = ...`` for a loss."""
    return _find(
        {
            "ℓ (the log-likelihood's letter)": "ℓ",
            "per-example loss written l (the table: 𝓛ᵢ)": (
                r"lᵢ|(?<![\\\w])l_\{?i\b|(?<![\w.])l = -|(?<![\w.])l = \d"
            ),
        },
        doc,
    )


def reserved_letters_keep_their_meaning(doc: str) -> list[str]:
    """t is a position on a segment and r the NB's count, not a ratio, a target or a residual;
    the residual is u = y - μ, and a log link's argument is a logit z (u is the residual)."""
    return _find(
        {
            "t defined from the target (the table: t is a position in [0, 1])": (
                r"(?<![\\\w])t\s*=\s*y\b"
            ),
            "residual written r (the table: u; r is the NB's total_count)": (
                r"(?<![\\\w])r\s*=\s*(?:y|\\log\s*y|log\s*y)\b|(?<![\\\w])r(?:\^2|\*\*2|²)"
                r"|(?:\||\\lvert)\s*r\s*(?:\||\\rvert)|\babs_r\b"
            ),
            "log link of u (u is the residual; a raw output is z)": r"\\mu\s*=\s*e\^\{?u\b",
            "logits written f (the table: z)": r"logits\s+:math:`\\?(?:mathbf\{)?f\b",
        },
        doc,
    )


_UNDERFLOW = re.compile(
    r"[^.]*(?:product|likelihood)[^.]{0,160}(?:underflow|overflow|float64 range)[^.]*"
    r"|[^.]*(?:underflow|overflow)[^.]{0,160}(?:product|likelihood)[^.]*",
    re.IGNORECASE,
)


def product_underflow_links_chapter_2(doc: str) -> list[str]:
    """The product of probabilities underflowing has one home, Chapter 2: a docstring says it
    in at most one sentence, and that sentence links ``sec-ch02-product-to-sum``."""
    sentences = _UNDERFLOW.findall(doc)
    found = []
    if len(sentences) > 1:
        found.append(
            f"the product's underflow explained in {len(sentences)} sentences (say it once)"
        )
    found += [
        f"the product's underflow without a link to sec-ch02-product-to-sum: {s.strip()[:60]}"
        for s in sentences
        if "sec-ch02-product-to-sum" not in s
    ]
    return found


RAW_DOC_RULES: dict[str, Callable[[str], list[str]]] = {
    "K classes": classes_are_k_with_weights_c,
    "omega": sample_weight_is_omega,
    "script L": loss_of_an_example_is_script_l,
    "reserved": reserved_letters_keep_their_meaning,
    "underflow": product_underflow_links_chapter_2,
}


def _docstring_violations(path: Path) -> Iterator[str]:
    for name, doc in docstrings(path.read_text(encoding="utf-8")):
        text = docstring_as_markdown(doc) + "\n" + re.sub(r"`[^`]*`", " ", doc)
        for rule in DOC_RULES.values():
            for problem in rule(text):
                yield f"{path.relative_to(ROOT)}::{name}: {problem}"
        for rule in RAW_DOC_RULES.values():
            for problem in rule(doc):
                yield f"{path.relative_to(ROOT)}::{name}: {problem}"


@pytest.mark.parametrize("path", PACKAGE, ids=lambda p: str(p.relative_to(ROOT / "mlecourse")))
def test_package_docstrings_follow_the_notation_table(path: Path) -> None:
    problems = list(_docstring_violations(path))
    assert not problems, f"{len(problems)} notation problems:\n" + "\n".join(problems)


BAD_DOCSTRING = r'''
def loss(y_true, y_pred):
    r"""A loss written against the table.

    .. math::

        \ell(y, p) = -\sum_{c=1}^{C} y_c \log p_c

    and its gradient :math:`\partial\ell/\partial f_k = \mathrm{softmax}(f)_k - y_k`.
    """
'''

GOOD_DOCSTRING = r'''
def loss(y_true, y_pred):
    r"""The same loss in the table's notation.

    .. math::

        \mathcal{L}(y, p) = -\sum_{k=0}^{K-1} y_k \log p_k, \qquad \ell(\theta) = \log L(\theta)

    and its gradient
    :math:`\partial\mathcal{L}/\partial z_k = \mathrm{softmax}(\mathbf{z})_k - y_k`.
    """
'''


def test_docstring_rules_catch_a_bad_docstring_and_allow_a_good_one() -> None:
    def problems(source: str) -> dict[str, list[str]]:
        ((_, doc),) = [d for d in docstrings(source) if d[0] == "loss"]
        text = docstring_as_markdown(doc) + "\n" + re.sub(r"`[^`]*`", " ", doc)
        return {rule: fn(text) for rule, fn in DOC_RULES.items() if fn(text)}

    assert set(problems(BAD_DOCSTRING)) == {"ell", "logits", "classes"}
    assert problems(GOOD_DOCSTRING) == {}


# each rule that reads the whole docstring, on a bad line it must catch (one per pattern: the
# old forms these docstrings had) and on the table's own forms
RAW_CAUGHT = [
    ("K classes", r"targets ``y' = y (1 - ε) + ε / C``"),
    ("K classes", r":math:`\frac{\varepsilon}{C} \sum_k c_k \log p_k`"),
    ("K classes", r"class_weight: One weight per class, shape ``(C,)``."),
    ("K classes", r"y_true: Integer class indices in ``[0, C)``"),
    ("K classes", r"takes PyTorch's ``(N, C, d1, ...)`` layout"),
    ("K classes", r":math:`\sum_{k=0}^{C-1} c_k`"),
    ("K classes", r"num_classes: C >= 2."),
    ("K classes", r":math:`-\sum_k w_k y_k \log p_k`"),
    ("K classes", r"class weights :math:`w_c`"),
    ("K classes", r"pos_weight: ``w_+`` multiplying the positive term"),
    ("K classes", r"divides by ``Σᵢ ωᵢ w_{kᵢ}``"),
    ("K classes", r"Python: ``-(1 - eps) * w[k] * log_p[k]``"),
    ("K classes", r"``-Σ_c c_c y_c log q``"),
    ("K classes", r":math:`-\sum_c a_c \log q_k`"),
    ("K classes", r"``log(sum(exp(z - m))) + (m - z_c)`` for ``-log p_c``"),
    ("omega", r"``Σ sᵢ·𝓛ᵢ / Σ sᵢ``"),
    ("omega", r":math:`\sum_i s_i \mathcal{L}_i`"),
    ("omega", r":math:`s_{i} \mathcal{L}_i`"),
    ("script L", "``ℓᵢ = -log p``, in code"),
    ("script L", r'``"mean"`` (``Σ ωᵢ lᵢ / Σ ωᵢ``)'),
    ("script L", r":math:`l_i = -\log p_i`"),
    ("script L", "``l = -tfd.Normal(mu, 1).log_prob(y)``"),
    ("reserved", r"With :math:`t = y / \mu` the exact NLL is"),
    ("reserved", r"smoothed targets :math:`t = y(1-\varepsilon) + \varepsilon/2`"),
    ("reserved", r"With residual :math:`r = y - \mu`"),
    ("reserved", r"``sigma, r = s, np.log(y) - loc``, :math:`r = \log y - \mu`"),
    ("reserved", r"``0.5 * (1 / var - r**2 / var**2)``"),
    ("reserved", r":math:`\frac{r^2}{\sigma^4}`"),
    ("reserved", r":math:`\sigma^2 = r²`"),
    ("reserved", r"the kink :math:`|r| = \delta`"),
    ("reserved", r"``abs_r = np.abs(y - y_pred)``"),
    ("reserved", r"With a log link :math:`\mu = e^{u}`"),
    ("reserved", r"For a label :math:`y` and logits :math:`f`,"),
    ("underflow", "``*_likelihood`` can underflow to 0 (Chapter 2). Work with the log."),
    (
        "underflow",
        "A product of densities underflows (:ref:`sec-ch02-product-to-sum`). The likelihood "
        "rounds to 0 once it falls below 1e-308, which is an underflow.",
    ),
]

RAW_ALLOWED = [
    ("K classes", r":math:`y'_k = y_k (1 - \varepsilon) + \varepsilon / K`, shape ``(K,)``"),
    ("K classes", r":math:`-(1 - \varepsilon) c_y \log p_y - \frac{\varepsilon}{K} \sum_k c_k`"),
    ("K classes", r"pos_weight: :math:`c_+`, intercept :math:`w_0`, weights :math:`\mathbf{w}`"),
    ("K classes", r"scikit-learn's ``LogisticRegression(C=c)``, constants :math:`C_1`"),
    (
        "omega",
        r":math:`\sum_i \omega_i \mathcal{L}_i`, ``Σ ωᵢ·𝓛ᵢ``, the score :math:`s(\theta; y)`",
    ),
    ("script L", r"``nll = -tfd.Normal(mu, 1).log_prob(y)``, :math:`\ell(\theta)`, ``𝓛ᵢ``"),
    ("reserved", r"the residual :math:`u = y - \hat y`, :math:`u^2`, :math:`|u| \le \delta`"),
    ("reserved", r":math:`r \log(1 + \mu / r)`, :math:`r > 0`, :math:`t \in [0, 1]`"),
    ("reserved", r"a log link :math:`\mu = e^{z}`, logits :math:`\mathbf{z}`"),
    (
        "underflow",
        "``*_likelihood`` leaves the float64 range for long samples (Chapter 2, "
        ":ref:`sec-ch02-product-to-sum`): work with the log.",
    ),
    ("underflow", "``e^{z_k - z_max} <= 1`` never overflows."),
]


@pytest.mark.parametrize(("rule", "text"), RAW_CAUGHT)
def test_docstring_rule_catches(rule: str, text: str) -> None:
    assert RAW_DOC_RULES[rule](text), f"rule {rule!r} let through: {text}"


@pytest.mark.parametrize(("rule", "text"), RAW_ALLOWED)
def test_docstring_rule_allows(rule: str, text: str) -> None:
    assert RAW_DOC_RULES[rule](text) == [], f"rule {rule!r} rejected the table's form: {text}"
