"""Reads and validates the question bank's YAML files; pure Python, no database.

Everything is checked before anything is written: the loader returns every question or raises
ContentError with every problem, each naming the file and the question id.
"""

import hashlib
import json
import re
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import yaml

from curriculum.content_loader import LEVELS, ContentError, ContentProblem

KINDS = ("mcq", "free", "both")
FIELDS = {"id", "topics", "level", "kind", "prompt", "answer", "key_points", "options", "tags", "replaces"}
POINT_FIELDS = {"point", "terms", "numbers"}
NUMBER_FIELDS = {"value", "unit", "tolerance"}
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
KEY_POINTS = (3, 6)  # rubric items per question, inclusive
TERMS = (1, 4)  # key terms per rubric item
OPTIONS = (3, 5)  # options per multiple-choice question
PLACEHOLDER = re.compile(r"\bTBD\b|\bTODO\b")
PINNED_FACTS_GLOB = "pinned_facts*.yaml"  # facts the curriculum and bank must agree on, not questions


@dataclass(frozen=True)
class OptionSpec:
    text: str
    correct: bool
    why: str


@dataclass(frozen=True)
class NumberSpec:
    """A value a key point states, checked by value: `tolerance` is absolute, in `unit`."""

    value: float
    unit: str = ""
    tolerance: float | None = None  # None: 2 % of the value (the grader's default)


@dataclass(frozen=True)
class KeyPointSpec:
    text: str
    terms: tuple[str, ...]
    numbers: tuple[NumberSpec, ...] | None = None  # None: taken from the point's text by the grader


@dataclass(frozen=True)
class QuestionSpec:
    slug: str
    topics: tuple[str, ...]  # the first is the main topic
    level: str
    kind: str
    prompt: str
    answer: str
    key_points: tuple[KeyPointSpec, ...]
    options: tuple[OptionSpec, ...]
    tags: tuple[str, ...]
    path: str
    content_hash: str
    replaces: tuple[str, ...] = ()  # ids of questions this one takes over (attempts, cards, plans)


class _QuestionProblem(Exception):
    pass


def _text(data: dict, key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise _QuestionProblem(f"missing or empty field '{key}'")
    if PLACEHOLDER.search(value):
        raise _QuestionProblem(f"field '{key}' contains a placeholder (TBD/TODO)")
    return value.strip()


def _strings(value, what: str, *, allow_empty: bool = True) -> tuple[str, ...]:
    if value is None and allow_empty:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _QuestionProblem(f"{what} must be a list of non-empty strings")
    if not value and not allow_empty:
        raise _QuestionProblem(f"{what} must not be empty")
    return tuple(v.strip() for v in value)


def _key_points(raw) -> tuple[KeyPointSpec, ...]:
    low, high = KEY_POINTS
    if not isinstance(raw, list) or not low <= len(raw) <= high:
        got = len(raw) if isinstance(raw, list) else type(raw).__name__
        raise _QuestionProblem(f"'key_points' must list {low}-{high} items (got {got})")
    points = []
    for i, item in enumerate(raw, start=1):
        if not isinstance(item, dict) or not isinstance(item.get("point"), str) or not item["point"].strip():
            raise _QuestionProblem(f"key point {i} needs a 'point'")
        terms = _strings(item.get("terms"), f"key point {i}'s 'terms'", allow_empty=False)
        if not TERMS[0] <= len(terms) <= TERMS[1]:
            raise _QuestionProblem(f"key point {i} must have {TERMS[0]}-{TERMS[1]} terms (got {len(terms)})")
        unknown = sorted(set(item) - POINT_FIELDS)
        if unknown:
            raise _QuestionProblem(f"key point {i} has unknown field(s): {', '.join(map(str, unknown))}")
        numbers = _numbers(item["numbers"], i) if "numbers" in item else None
        points.append(KeyPointSpec(item["point"].strip(), tuple(t.lower() for t in terms), numbers))
    return tuple(points)


def _number(value, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _QuestionProblem(f"{what} must be a number (got {value!r})")
    return float(value)


def _numbers(raw, index: int) -> tuple[NumberSpec, ...]:
    """`numbers: [257, {value: 31.25, unit: Hz, tolerance: 0.5}]`; `[]` or null checks none."""
    if raw is None:
        return ()
    what = f"key point {index}'s 'numbers'"
    if not isinstance(raw, list):
        raise _QuestionProblem(f"{what} must be a list of numbers or {{value, unit, tolerance}} mappings")
    numbers = []
    for item in raw:
        if not isinstance(item, dict):
            numbers.append(NumberSpec(_number(item, f"each of {what}")))
            continue
        unknown = sorted(set(item) - NUMBER_FIELDS)
        if unknown or "value" not in item:
            raise _QuestionProblem(f"{what}: each mapping needs 'value' and may have 'unit' and 'tolerance'")
        unit = item.get("unit") or ""
        if not isinstance(unit, str):
            raise _QuestionProblem(f"{what}: 'unit' must be text such as Hz, ms or %")
        tolerance = item.get("tolerance")
        if tolerance is not None and _number(tolerance, f"{what}: 'tolerance'") < 0:
            raise _QuestionProblem(f"{what}: 'tolerance' must not be negative")
        numbers.append(
            NumberSpec(
                _number(item["value"], f"{what}: 'value'"),
                unit.strip(),
                None if tolerance is None else float(tolerance),
            )
        )
    return tuple(numbers)


def _options(raw, kind: str) -> tuple[OptionSpec, ...]:
    if kind == "free":
        if raw:
            raise _QuestionProblem("a free-text question ('kind: free') must not have 'options'")
        return ()
    low, high = OPTIONS
    if not isinstance(raw, list) or not low <= len(raw) <= high:
        got = len(raw) if isinstance(raw, list) else "none"
        raise _QuestionProblem(f"kind '{kind}' needs {low}-{high} 'options' (got {got})")
    options = []
    for i, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            raise _QuestionProblem(f"option {i} must be a mapping with text, correct and why")
        text, why, correct = item.get("text"), item.get("why"), item.get("correct")
        if not isinstance(text, str | int | float) or not str(text).strip():
            raise _QuestionProblem(f"option {i} needs a 'text'")
        if not isinstance(correct, bool):
            raise _QuestionProblem(f"option {i} needs 'correct: true' or 'correct: false'")
        if not isinstance(why, str) or not why.strip():
            raise _QuestionProblem(f"option {i} needs a 'why' explaining it")
        options.append(OptionSpec(str(text).strip(), correct, why.strip()))
    if not any(o.correct for o in options):
        raise _QuestionProblem("no option is marked 'correct: true'")
    if len({o.text for o in options}) != len(options):
        raise _QuestionProblem("two options have the same text")
    return tuple(options)


def _replaces(raw, slug: str) -> tuple[str, ...]:
    ids = _strings(raw, "'replaces'")
    bad = [old for old in ids if not SLUG.match(old)]
    if bad:
        raise _QuestionProblem(f"'replaces' must list question ids (slugs); not ids: {', '.join(bad)}")
    if slug in ids:
        raise _QuestionProblem("'replaces' must not list the question's own id")
    return ids


def parse_question(data, path: str) -> QuestionSpec:
    if not isinstance(data, dict):
        raise _QuestionProblem("each question must be a mapping of fields")
    slug = data.get("id")
    if not isinstance(slug, str) or not SLUG.match(slug) or len(slug) > 80:
        raise _QuestionProblem(f"'id' must be a lower-case slug of at most 80 characters (got {slug!r})")
    unknown = sorted(set(data) - FIELDS)
    if unknown:
        raise _QuestionProblem(f"unknown field(s): {', '.join(map(str, unknown))}")
    level, kind = data.get("level"), data.get("kind")
    if level not in LEVELS:
        raise _QuestionProblem(f"'level' must be one of {', '.join(LEVELS)} (got {level!r})")
    if kind not in KINDS:
        raise _QuestionProblem(f"'kind' must be one of {', '.join(KINDS)} (got {kind!r})")
    spec = QuestionSpec(
        slug=slug,
        topics=_strings(data.get("topics"), "'topics'", allow_empty=False),
        level=level,
        kind=kind,
        prompt=_text(data, "prompt"),
        answer=_text(data, "answer"),
        key_points=_key_points(data.get("key_points")),
        options=_options(data.get("options"), kind),
        tags=_strings(data.get("tags"), "'tags'"),
        path=path,
        content_hash="",
        replaces=_replaces(data.get("replaces"), slug),
    )
    digest = hashlib.sha256(json.dumps(asdict(spec), sort_keys=True).encode()).hexdigest()
    return replace(spec, content_hash=digest)


def _where(index: int, data) -> str:
    slug = data.get("id") if isinstance(data, dict) else None
    return f"question '{slug}'" if isinstance(slug, str) else f"question {index}"


def parse_file(path: Path, root: Path) -> tuple[list[QuestionSpec], list[ContentProblem]]:
    rel = str(path.relative_to(root))
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        return [], [ContentProblem(rel, "not UTF-8 text")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark else ""
        return [], [ContentProblem(rel, f"not valid YAML{where}: {getattr(exc, 'problem', exc)}")]
    if not isinstance(data, list):
        return [], [ContentProblem(rel, "the file must hold a list of questions")]
    specs, problems = [], []
    for index, item in enumerate(data, start=1):
        try:
            specs.append(parse_question(item, rel))
        except _QuestionProblem as exc:
            problems.append(ContentProblem(rel, f"{_where(index, item)}: {exc}"))
    return specs, problems


def load_question_bank(root: Path, *, known_topics: set[str]) -> list[QuestionSpec]:
    """Parse every `*.yaml` under `root` and cross-check ids and topics; raise ContentError on any problem."""
    root = Path(root)
    if not root.is_dir():
        raise ContentError([ContentProblem(str(root), "missing question folder")])
    questions: list[QuestionSpec] = []
    problems: list[ContentProblem] = []
    for path in sorted(root.rglob("*.yaml")):
        if path.match(PINNED_FACTS_GLOB):
            continue
        specs, found = parse_file(path, root)
        questions += specs
        problems += found
    seen: dict[str, QuestionSpec] = {}
    for spec in questions:
        if spec.slug in seen:
            other = seen[spec.slug].path
            problems.append(
                ContentProblem(spec.path, f"question '{spec.slug}': duplicate id (also in {other})")
            )
        seen.setdefault(spec.slug, spec)
        unknown = [t for t in spec.topics if t not in known_topics]
        if unknown:
            reason = f"question '{spec.slug}': unknown topic id(s) {', '.join(unknown)}"
            problems.append(ContentProblem(spec.path, reason))
    problems += _replaces_problems(questions, seen)
    if problems:
        raise ContentError(problems)
    return questions


def _replaces_problems(questions: list[QuestionSpec], seen: dict[str, QuestionSpec]) -> list[ContentProblem]:
    """An old id is replaced by one question only, and is no longer a question of its own."""
    problems, taken = [], {}
    for spec in questions:
        for old in spec.replaces:
            where = f"question '{spec.slug}': 'replaces' lists '{old}'"
            if old in seen:
                problems.append(
                    ContentProblem(spec.path, f"{where}, which is still in the bank ({seen[old].path})")
                )
            elif old in taken and taken[old] != spec.slug:
                problems.append(ContentProblem(spec.path, f"{where}, which '{taken[old]}' replaces too"))
            taken.setdefault(old, spec.slug)
    return problems
