"""The parts of a lesson body the platform treats specially (format: content/README.md).

Pure text functions, shared by the importer (which renders the parts separately), the content
tests (word counts, figures, runnable blocks) and the figure build.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CHECK_HEADING = "## Check yourself"
ANSWERS_HEADING = "## Worked answers"

_FENCE = re.compile(r"^(`{3,}|~{3,})([^\n`]*)\n(.*?)^\1[ \t]*$", re.MULTILINE | re.DOTALL)
_FIGURE = re.compile(
    r'^!\[(?P<alt>[^\]]*)\]\(figures/(?P<name>[a-z0-9-]+)\.svg(?:\s+"(?P<caption>[^"]*)")?\)\s*$', re.M
)
_H2 = re.compile(r"^## ", re.MULTILINE)
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class LessonParts:
    lesson: str  # everything before "## Check yourself"
    questions: tuple[str, ...]  # the Check-yourself bullets (Markdown, one per question)
    answers: tuple[tuple[str, str], ...]  # (heading, Markdown body) per "### " under Worked answers


@dataclass(frozen=True)
class CodeBlock:
    info: str  # the fence's info string, e.g. "python runnable"
    code: str
    line: int  # 1-based line of the opening fence in the body
    start: int  # offsets of the whole fenced block in the text
    end: int


@dataclass(frozen=True)
class RunnableBlock:
    code: str
    expected_output: str | None  # None when no `output` block follows
    line: int


@dataclass(frozen=True)
class FigureRef:
    name: str
    alt: str
    caption: str


def _section(body: str, heading: str) -> tuple[int, int] | None:
    """(start, end) of the text under an exact "## " heading, up to the next "## " heading."""
    match = re.search(rf"^{re.escape(heading)}[ \t]*$", body, re.MULTILINE)
    if not match:
        return None
    following = _H2.search(body, match.end())
    return match.end(), following.start() if following else len(body)


def lesson_parts(body: str) -> LessonParts:
    check = _section(body, CHECK_HEADING)
    answers = _section(body, ANSWERS_HEADING)
    lesson_end = min(span[0] - len(CHECK_HEADING) for span in (check,) if span) if check else len(body)
    if answers and (not check or answers[0] < check[0]):
        lesson_end = min(lesson_end, answers[0] - len(ANSWERS_HEADING))
    questions: list[str] = []
    if check:
        for item in re.split(r"^- ", body[check[0] : check[1]], flags=re.MULTILINE)[1:]:
            questions.append(" ".join(item.split()))
    worked: list[tuple[str, str]] = []
    if answers:
        chunks = re.split(r"^### ", body[answers[0] : answers[1]], flags=re.MULTILINE)[1:]
        for chunk in chunks:
            heading, _, text = chunk.partition("\n")
            worked.append((heading.strip(), text.strip()))
    return LessonParts(
        lesson=body[:lesson_end].rstrip() + "\n", questions=tuple(questions), answers=tuple(worked)
    )


def code_blocks(markdown_text: str) -> list[CodeBlock]:
    return [
        CodeBlock(
            m.group(2).strip(), m.group(3), markdown_text.count("\n", 0, m.start()) + 1, m.start(), m.end()
        )
        for m in _FENCE.finditer(markdown_text)
    ]


def runnable_blocks(markdown_text: str) -> list[RunnableBlock]:
    """Each `python runnable` block with the `output` block that directly follows it (if any)."""
    blocks = code_blocks(markdown_text)
    found = []
    for i, block in enumerate(blocks):
        if block.info.split() != ["python", "runnable"]:
            continue
        following = blocks[i + 1] if i + 1 < len(blocks) else None
        adjacent = (
            following is not None
            and following.info == "output"
            and not markdown_text[block.end : following.start].strip()
        )
        found.append(RunnableBlock(block.code, following.code if adjacent else None, block.line))
    return found


def figure_refs(markdown_text: str) -> list[FigureRef]:
    return [
        FigureRef(m.group("name"), m.group("alt").strip(), (m.group("caption") or "").strip())
        for m in _FIGURE.finditer(_without_code(markdown_text))
    ]


def _without_code(markdown_text: str) -> str:
    return _FENCE.sub("", markdown_text)


def prose_words(markdown_text: str) -> int:
    """Words outside fenced code (figure alt texts and link targets excluded too)."""
    text = _FIGURE.sub("", _without_code(markdown_text))
    text = re.sub(r"\]\([^)]*\)", "]", text)  # link targets
    return len(_WORD.findall(text))


def outputs_match(printed: str, expected: str) -> bool:
    """Exact, except trailing spaces on each line and blank lines at the end."""

    def norm(text: str) -> list[str]:
        return [line.rstrip() for line in text.rstrip().splitlines()]

    return norm(printed) == norm(expected)
