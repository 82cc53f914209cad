"""The pages of the book as `_toc.yml` lists them, and their cells (shared by test helpers)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]


def toc_pages(root: Path = ROOT) -> list[Path]:
    """Every page `_toc.yml` lists (``.ipynb`` or ``.md``), in the book's order."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    entries = [toc["root"]]
    for part in toc.get("parts", []):
        for chapter in part["chapters"]:
            entries.append(chapter["file"])
            entries.extend(section["file"] for section in chapter.get("sections", []))
    pages = []
    for entry in entries:
        for suffix in (".ipynb", ".md"):
            if (root / (entry + suffix)).exists():
                pages.append(root / (entry + suffix))
                break
        else:
            raise FileNotFoundError(f"_toc.yml lists {entry!r}, which is neither .ipynb nor .md")
    return pages


def toc_notebooks(root: Path = ROOT) -> list[Path]:
    """The notebooks among `toc_pages`."""
    return [p for p in toc_pages(root) if p.suffix == ".ipynb"]


def load_cells(path: Path) -> list[dict[str, Any]]:
    """The cells of a notebook (a ``.md`` page is one markdown cell)."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        return [{"cell_type": "markdown", "source": text, "metadata": {}}]
    return list(json.loads(text)["cells"])


def source(cell: dict[str, Any]) -> str:
    """A cell's source as one string (nbformat stores a string or a list of lines)."""
    src = cell.get("source", "")
    return src if isinstance(src, str) else "".join(src)


def page_id(path: Path) -> str:
    """``03_negative_log_likelihood``: the name a test id uses for a page."""
    return path.stem
