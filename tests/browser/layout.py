"""What a reader's screen shows, measured in the browser: the layout checks of the book.

One JavaScript function per check, shared by ``test_book_in_browser.py`` (which asserts that each
list is empty on every page) and by ``python -m tests.browser.layout`` (which counts them over a
built book, to report a before/after table). Each function returns a list of short descriptions
of what is wrong, empty when the page is fine.

The column is the box an element is laid out in: an equation's MathJax container, a code block's
``pre``, a table's parent (the theme wraps tables in a scrolling container). "Wider than its
column" means the content needs a sideways scroll (or is clipped) inside that box.
"""

from __future__ import annotations

# MathJax typesets asynchronously: measure only after it is done.
WAIT_FOR_MATHJAX = """async () => {
    if (!window.MathJax) return 'absent';
    for (let i = 0; i < 200 && !(MathJax.startup && MathJax.startup.promise); i++)
        await new Promise(r => setTimeout(r, 50));
    if (!(MathJax.startup && MathJax.startup.promise)) return 'never loaded';
    await MathJax.startup.promise;
    return 'typeset';
}"""

# Display equations whose typeset formula is wider than the box it sits in.
WIDE_EQUATIONS = """() => {
    const items = (window.MathJax && MathJax.startup && MathJax.startup.document)
        ? Array.from(MathJax.startup.document.math) : [];
    const source = c => {
        const item = items.find(m => m.typesetRoot === c);
        return (item ? item.math : c.textContent).replace(/\\s+/g, ' ').trim().slice(0, 70);
    };
    return Array.from(document.querySelectorAll('article mjx-container[display="true"]'))
        .map(c => {
            const formula = c.querySelector('mjx-math');
            const need = formula ? formula.getBoundingClientRect().width : 0;
            return {need: need, have: c.clientWidth, c: c};
        })
        .filter(e => e.need > e.have + 1)
        .map(e => `${Math.round(e.need)} px in ${e.have} px: ${source(e.c)}`);
}"""

# Code blocks (source cells, outputs, literal blocks) that need a sideways scroll.
WIDE_CODE = """() => Array.from(document.querySelectorAll('article pre'))
    .filter(p => p.scrollWidth > p.clientWidth + 1)
    .map(p => {
        const longest = p.textContent.split('\\n')
            .reduce((a, b) => b.length > a.length ? b : a, '');
        return `${p.scrollWidth} px in ${p.clientWidth} px, ${longest.length} chars: `
            + longest.trim().slice(0, 60);
    })"""

# Tables wider than the box they are laid out in.
WIDE_TABLES = """() => Array.from(document.querySelectorAll('article table'))
    .map(t => {
        const box = t.getBoundingClientRect().width;  // borders included
        const parent = t.parentElement.clientWidth;
        const overflow = t.scrollWidth - t.clientWidth;  // content scrolling inside the table
        return {t: t, need: Math.max(box, parent + overflow), have: parent,
                wide: box > parent + 1 || overflow > 1};
    })
    .filter(e => e.wide)
    .map(e => {
        const head = e.t.querySelector('tr');
        const label = head ? head.textContent.replace(/\\s+/g, ' ').trim().slice(0, 60) : '';
        return `${Math.round(e.need)} px in ${e.have} px: ${label}`;
    })"""

# The page itself scrolls sideways (the phone rule), and what sticks out.
PAGE_SCROLLS_SIDEWAYS = """() => {
    const doc = document.documentElement;
    const width = doc.clientWidth;
    if (doc.scrollWidth <= width + 1) return [];
    const clipped = e => {  // inside a box that scrolls or clips its own content
        for (let a = e.parentElement; a && a !== doc; a = a.parentElement)
            if (getComputedStyle(a).overflowX !== 'visible') return true;
        return false;
    };
    const inFlow = e => !['fixed', 'sticky'].includes(getComputedStyle(e).position)
        && getComputedStyle(e).visibility !== 'hidden';
    const culprits = Array.from(document.querySelectorAll('body *'))
        .filter(e => e.getBoundingClientRect().right > width + 1 && !clipped(e) && inFlow(e))
        .filter(e => !e.parentElement
            || e.parentElement.getBoundingClientRect().right <= width + 1)
        .slice(0, 5)
        .map(e => `${e.tagName.toLowerCase()}.${String(e.className).split(' ')[0]}`
            + ` (right edge ${Math.round(e.getBoundingClientRect().right)} px)`);
    return [`page is ${doc.scrollWidth} px wide in a ${width} px window; `
        + `sticking out: ${culprits.join(', ') || 'nothing in the article'}`];
}"""

# Every image in the text is a numbered figure with a caption and real alt text.
FIGURE_PROBLEMS = """() => {
    const looksLikePath = a => /[\\\\/]|\\.(png|jpe?g|svg|gif|webp|pdf)$/i.test(a);
    const content = Array.from(document.querySelectorAll('article img'))  // not theme icons
        .filter(img => (img.getAttribute('src') || '').includes('_images/'));
    return content.flatMap(img => {
        const src = (img.getAttribute('src') || '').split('/').pop().slice(0, 24);
        const alt = (img.getAttribute('alt') || '').trim();
        const figure = img.closest('figure');
        const caption = figure && figure.querySelector('figcaption');
        const out = [];
        if (!caption || !caption.textContent.trim()) out.push(`${src}: no figure caption`);
        if (!alt) out.push(`${src}: no alt text`);
        else if (looksLikePath(alt)) out.push(`${src}: alt text is a file path`);
        return out;
    });
}"""

# Solutions show clean code: no reST/Google docstring markup in a solution block.
RAW_MARKUP_IN_SOLUTIONS = """() => {
    const markers = [/\\.\\. [a-z-]+::/, /:(math|func|class|meth|mod|ref|eq):`/,
                     /^\\s*(Args|Returns|Raises|Yields|Examples):\\s*$/m];
    return Array.from(document.querySelectorAll('article .solution')).flatMap(s => {
        const title = (s.querySelector('.admonition-title') || s).textContent.trim().slice(0, 50);
        // each block's own text: a title and a code block must not run into one line
        const texts = Array.from(s.querySelectorAll('pre, p, li, dd, dt'))
            .map(e => e.textContent);
        return markers.flatMap(m => {
            const hit = texts.find(t => m.test(t));
            return hit === undefined ? [] : [`${title}: ${hit.match(m)[0].trim()}`];
        });
    });
}"""

# Test tooling stays invisible: no nbval marker anywhere in the text, folded parts included.
TEST_MARKERS = """() => {
    const clone = (document.querySelector('article') || document.body).cloneNode(true);
    clone.querySelectorAll('script, style').forEach(e => e.remove());
    return (clone.textContent.match(/[^\\n]{0,40}nbval[^\\n]{0,30}/gi) || []).map(s => s.trim());
}"""

# For the before/after table: how many of each thing a page holds.
COUNTS = """() => ({
    equations: document.querySelectorAll('article mjx-container[display="true"]').length,
    code: document.querySelectorAll('article pre').length,
    tables: document.querySelectorAll('article table').length,
    images: document.querySelectorAll('article img').length,
    solutions: document.querySelectorAll('article .solution').length,
})"""

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def measure_desktop(page) -> dict[str, list[str]]:
    """Every 1280 px check on a loaded, typeset page."""
    return {
        "wide equations": page.evaluate(WIDE_EQUATIONS),
        "wide code blocks": page.evaluate(WIDE_CODE),
        "wide tables": page.evaluate(WIDE_TABLES),
        "figure problems": page.evaluate(FIGURE_PROBLEMS),
        "raw markup in solutions": page.evaluate(RAW_MARKUP_IN_SOLUTIONS),
        "test markers": page.evaluate(TEST_MARKERS),
    }


def _main() -> None:  # pragma: no cover - a measuring tool, run by hand
    import argparse
    import functools
    import http.server
    import threading
    from pathlib import Path

    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html", type=Path, help="a built book, e.g. _build/html")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every finding")
    args = parser.parse_args()

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *a: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(args.html))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    skip = {"_static", "_sources", "_images", "_sphinx_design_static"}
    pages = sorted(
        str(p.relative_to(args.html))
        for p in args.html.rglob("*.html")
        if not skip & set(p.relative_to(args.html).parts)
        and 'http-equiv="Refresh"' not in p.read_text(encoding="utf-8")
    )
    totals: dict[str, int] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=args.chromium, args=["--no-sandbox", "--disable-gpu"]
        )
        for path in pages:
            page = browser.new_page(viewport=DESKTOP)
            page.goto(base + path, wait_until="load")
            page.evaluate(WAIT_FOR_MATHJAX)
            found = measure_desktop(page)
            counts = page.evaluate(COUNTS)
            page.close()
            phone = browser.new_page(viewport=PHONE)
            phone.goto(base + path, wait_until="load")
            phone.evaluate(WAIT_FOR_MATHJAX)
            found["scrolls sideways at 390 px"] = phone.evaluate(PAGE_SCROLLS_SIDEWAYS)
            phone.close()
            for key, value in counts.items():
                totals[f"total {key}"] = totals.get(f"total {key}", 0) + value
            summary = ", ".join(f"{k}: {len(v)}" for k, v in found.items() if v)
            print(f"{path}: {summary or 'clean'}")
            for key, value in found.items():
                totals[key] = totals.get(key, 0) + len(value)
                totals[f"pages with {key}"] = totals.get(f"pages with {key}", 0) + bool(value)
                if args.verbose:
                    for item in value:
                        print(f"    {key}: {item}")
        browser.close()
    server.shutdown()
    print()
    for key, value in totals.items():
        print(f"{key:40s} {value}")


if __name__ == "__main__":
    _main()
