"""axe-core (Deque's rule engine, npm ``axe-core`` pinned in package-lock.json, installed by
``make test``): run it on a page and sort its violations into the app's own and the framework's.

The framework's own violations are told apart by a baseline: a bare Streamlit page
(tests/a11y_bare/bare_app.py: the elements this app uses, plainly, with Streamlit's default dark
theme) audited the same way. FRAMEWORK lists exactly which rule on which nodes is excluded from
the app's audit and why; each entry must also show up on the bare page
(test_browser_a11y.py::test_the_bare_page_shows_every_exclusion), so an exclusion that no longer
matches anything the framework does fails instead of hiding the app's own.
"""

import re

from browser_utils import REPO

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
FAILING = {"critical", "serious"}
ALSO_FAILING = {"heading-order"}  # moderate, but fixed once (h1 -> h4, h1 -> h3): keep it so

# (rule id, a regex on the node's CSS target or HTML, why it is the framework's). Empty: on the
# bare page axe-core 4.14 finds nothing critical or serious of Streamlit 1.67's or plotly's own
# that the app's pages show.
FRAMEWORK: list[tuple[str, str, str]] = []


def audit(page) -> list[dict]:
    """axe-core's violations on the page as it is now, one dict per node."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: "
        "['violations']})",
        TAGS,
    )
    return [
        dict(rule=v["id"], impact=v["impact"], target=" ".join(map(str, n["target"])),
             html=n["html"][:200], why=n["failureSummary"][:300])
        for v in result["violations"]
        for n in v["nodes"]
    ]  # fmt: skip


def framework_entry(node: dict) -> tuple | None:
    """The FRAMEWORK entry that excuses this node, if any."""
    for entry in FRAMEWORK:
        rule, where, _ = entry
        if node["rule"] == rule and re.search(where, node["target"] + " " + node["html"]):
            return entry
    return None


def own_failures(nodes: list[dict]) -> list[dict]:
    """The app's own critical or serious violations (and any heading-order one)."""
    return [
        n
        for n in nodes
        if (n["impact"] in FAILING or n["rule"] in ALSO_FAILING) and framework_entry(n) is None
    ]


def report(nodes: list[dict]) -> str:
    return "\n".join(f"{n['impact']} {n['rule']}: {n['target']}\n  {n['why']}" for n in nodes)


# each page's first "Numbers as a table" expander (a chart's numbers): opened, so that its
# table is audited too
TABLES = '[data-testid="stExpander"] summary'
TABLE = '[data-testid="stDataFrame"]'


def open_a_table(page) -> None:
    """Open the page's first chart table, if it has one, and wait for it to draw."""
    from playwright.sync_api import expect

    tables = page.locator(TABLES).filter(has_text="Numbers as a table")
    if tables.count():
        tables.first.click()
        expect(page.locator(TABLE).first).to_be_visible(timeout=30_000)
