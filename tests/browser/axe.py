"""axe-core in the browser tests: injected from tests/browser/node_modules (npm, installed by
`webapp/scripts/install.sh --with-browser`), never fetched at run time."""

from pathlib import Path

AXE_JS = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")


def axe_source() -> str:
    if not AXE_JS.exists():
        raise RuntimeError(
            f"{AXE_JS} is missing: run `bash webapp/scripts/install.sh --with-browser` (npm ci)"
        )
    return AXE_JS.read_text()


def serious_violations(frame) -> list[str]:
    """The serious and critical axe-core violations on a page or frame, one line each."""
    frame.evaluate(axe_source())
    violations = frame.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
             .map(v => ({id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map(n => n.target.join(" "))}))"""
    )
    return [
        f"{v['impact']}: {v['id']} ({v['help']}) at {', '.join(v['targets'][:5])}"
        for v in violations
        if v["impact"] in BLOCKING
    ]
