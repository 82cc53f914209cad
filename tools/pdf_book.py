r"""What Sphinx's LaTeX builder needs beyond the HTML book's configuration (``make pdf``).

A Sphinx extension (``sphinx.local_extensions`` in ``_config.yml``); in the HTML build it
changes nothing.

1. **One list of macros.** The book's math macros (``\NLL``, ``\KL``, ``\E``, ...) are
   written once, in ``_config.yml``'s ``mathjax3_config``. The same list is appended to
   the LaTeX preamble as ``\renewcommand``s, so the PDF cannot miss one.
2. **The version on the title page.** The title page's "Release" line is the package's
   ``mlecourse.__version__`` (the version in ``pyproject.toml``), not a second copy.
3. **SVG figures as PDF.** LaTeX cannot include SVG; Debian's ``rsvg-convert`` (librsvg2-bin)
   converts each SVG the book uses into a vector PDF in the LaTeX build's own folder, so the
   sources keep one SVG.
4. **The HTML book's numbers.** ``_toc.yml`` numbers the parts Foundations to Beyond the
   standard losses, not "Start here" and the Appendix. LaTeX numbers every ``\chapter``, so
   Notation would be chapter 1 and every later chapter's figures and equations one off from
   its theorems (whose numbers Sphinx writes as text). Each part of ``_toc.yml`` without
   ``numbered`` sets LaTeX's ``secnumdepth`` to -2 (parts and chapters unnumbered, still
   listed in the contents), and each numbered part sets it back to sphinxmanual's 2.
5. **The HTML book's numbers, again.** sphinx-jupyterbook-latex sets ``numfig_secnum_depth``
   to 2 so that LaTeX restarts figure and equation numbers at each chapter, but Sphinx also
   numbers theorems and exercises with it: "Theorem 4.5.1" where the HTML book says "Theorem
   4.1". The environment keeps the HTML book's value (so its numbers, and the cached
   environment, are the HTML build's), and only the LaTeX writer sees 2.
6. **Proofs as a printed book sets them.** sphinx-proof puts a proof in an admonition with
   no title, which LaTeX draws as a box under an empty title bar. In the PDF a proof is
   plain text after its theorem ("Proof. ..."), ended by a right-aligned square.
7. **Exercises referenced from another chapter.** sphinx-exercise labels an exercise
   ``exercise:<label>`` in LaTeX and rewrites only same-page references to that label; a
   reference from another page would ask LaTeX for ``<page>:<label>`` and print "??". Those
   get the same rewrite, keeping the number Sphinx gave the exercise.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.transforms.post_transforms.images import ImageConverter

SECNUMDEPTH = 2  # sphinxmanual.cls: parts, chapters, sections and subsections numbered


def latex_macros(macros: dict[str, Any]) -> str:
    """The MathJax ``tex.macros`` mapping as LaTeX definitions, one per line.

    A macro is ``"body"`` or ``["body", nargs]`` (MathJax's two spellings). Each is
    ``\\providecommand`` then ``\\renewcommand``, so it holds whether or not the class
    already defines the name (jupyterBook.cls defines ``\\argmax`` and ``\\argmin``).
    """
    lines = []
    for name, value in macros.items():
        body, nargs = (value, 0) if isinstance(value, str) else (value[0], int(value[1]))
        args = f"[{nargs}]" if nargs else ""
        lines.append(f"\\providecommand{{\\{name}}}{{}}\\renewcommand{{\\{name}}}{args}{{{body}}}")
    return "\n".join(lines)


def add_macros(app: Sphinx, config: Config) -> None:
    """Append ``mathjax3_config``'s macros to ``latex_elements['preamble']``.

    Also notes the HTML book's ``numfig_secnum_depth``, before any builder changes it.
    """
    app.mlecourse_secnum_depth = config.numfig_secnum_depth  # type: ignore[attr-defined]
    macros = (config.mathjax3_config or {}).get("tex", {}).get("macros", {})
    elements = dict(config.latex_elements)
    preamble = elements.get("preamble", "")
    block = "% The book's math macros, from _config.yml's mathjax3_config\n"
    elements["preamble"] = f"{preamble}\n{block}{latex_macros(macros)}\n"
    config.latex_elements = elements


def keep_html_numbers(app: Sphinx) -> None:
    """Undo sphinx-jupyterbook-latex's ``numfig_secnum_depth`` for the environment (item 5)."""
    if app.builder.format == "latex":
        app.config.numfig_secnum_depth = app.mlecourse_secnum_depth  # type: ignore[attr-defined]


def latex_chapter_numbers(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Give the LaTeX writer the depth that restarts figures and equations per chapter.

    ``doctree-resolved`` of the LaTeX builder: the environment is numbered and stored, and
    the document resolved; the writer, next, reads the depth.
    """
    if app.builder.format == "latex":
        app.config.numfig_secnum_depth = 2


def show_version(app: Sphinx) -> None:
    """Put ``mlecourse.__version__`` on the LaTeX title page (its "Release" line)."""
    if app.builder.format != "latex":
        return
    import mlecourse

    app.builder.context["release"] = mlecourse.__version__  # type: ignore[attr-defined]
    app.builder.context["releasename"] = "Version"  # type: ignore[attr-defined]


class RsvgConverter(ImageConverter):
    """SVG to PDF with ``rsvg-convert``, for builders that cannot show SVG (LaTeX)."""

    conversion_rules: ClassVar = [("image/svg+xml", "application/pdf")]

    def is_available(self) -> bool:
        """``rsvg-convert`` is on the PATH (Debian's librsvg2-bin)."""
        return shutil.which("rsvg-convert") is not None

    def convert(self, _from: str, _to: str) -> bool:
        """Write the vector PDF ``_to`` from the SVG ``_from``."""
        subprocess.run(["rsvg-convert", "--format=pdf", f"--output={_to}", _from], check=True)
        return Path(_to).is_file()


class NumberedParts(SphinxPostTransform):
    """Number the LaTeX parts and chapters as ``_toc.yml`` numbers them (item 4)."""

    default_priority = 800  # after sphinx-jupyterbook-latex has made the parts (700)
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        """Put ``\\setcounter{secnumdepth}`` before each part's heading."""
        site_map = getattr(self.env, "external_site_map", None)
        if site_map is None or self.env.docname != site_map.root.docname:
            return
        numbered = {sub.caption: bool(sub.numbered) for sub in site_map.root.subtrees}
        for part in self.document.findall(addnodes.start_of_file):
            caption = part.get("docname")
            if caption in numbered:
                depth = SECNUMDEPTH if numbered[caption] else -2
                raw = f"\\setcounter{{secnumdepth}}{{{depth}}}\n"
                part.insert(0, nodes.raw("", raw, format="latex"))


class ProofsUnboxed(SphinxPostTransform):
    """A proof as text ended by a square, not a box with an empty title (item 6)."""

    default_priority = 900
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        """Replace each proof's untitled admonition by its content between two raw lines."""
        from sphinx_proof.nodes import proof_node

        for box in list(self.document.findall(nodes.admonition)):
            untitled = not any(isinstance(child, nodes.title) for child in box.children)
            if "proof" in box["classes"] and isinstance(box.parent, proof_node) and untitled:
                start = nodes.raw("", "\n\\par\\medskip\n", format="latex")
                end = nodes.raw(
                    "", "\\nopagebreak\\hfill\\(\\square\\)\\par\\medskip\n", format="latex"
                )
                box.replace_self([start, *box.children, end])


class ExerciseReferences(SphinxPostTransform):
    """Cross-page references to an exercise, as sphinx-exercise writes same-page ones."""

    default_priority = 15  # after references resolve (10), before sphinx-exercise (20-22)
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        """Give each cross-page ``number_reference`` to an exercise its label as ``refid``."""
        from sphinx_exercise.nodes import exercise_enumerable_node

        registry = getattr(self.env, "sphinx_exercise_registry", {})
        for ref in list(self.document.findall(addnodes.number_reference)):
            label = ref.get("refuri", "").rpartition("#")[2]
            target = registry.get(label, {}).get("node")
            if not ref.get("refid") and isinstance(target, exercise_enumerable_node):
                from sphinx_exercise.nodes import exercise_latex_number_reference

                new = exercise_latex_number_reference()
                new.attributes = dict(ref.attributes, refid=label)
                new += ref.children
                ref.replace_self(new)


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the LaTeX-only steps."""
    app.connect("config-inited", add_macros)
    app.connect("builder-inited", show_version)
    app.connect("builder-inited", keep_html_numbers, priority=900)  # after jupyterbook-latex
    app.connect("doctree-resolved", latex_chapter_numbers)
    app.add_post_transform(RsvgConverter)
    app.add_post_transform(NumberedParts)
    app.add_post_transform(ExerciseReferences)
    app.add_post_transform(ProofsUnboxed)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
