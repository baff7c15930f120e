"""Reads and validates the curriculum's content files; pure Python, no database.

Everything is checked before anything is written, so a malformed file never leaves a
half-imported curriculum: the loader returns the whole parsed set or raises with every problem.
"""

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from curriculum.demo_links import demo_slugs

LEVELS = ("mid", "senior", "principal")
RESOURCE_KINDS = ("paper", "article", "video", "course", "docs", "book", "tool", "code", "dataset", "thesis")


@dataclass(frozen=True)
class ResourceSpec:
    title: str
    url: str
    kind: str
    note: str = ""


@dataclass(frozen=True)
class PhaseSpec:
    slug: str
    order: int
    title: str
    duration: str
    weeks: float | None
    goals: tuple[str, ...]
    body: str
    path: str
    content_hash: str
    # For each goal, the lessons that teach it: topic ids, or "notebook" for the phase notebook.
    goal_lessons: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class TopicSpec:
    slug: str
    phase: str
    order: int
    title: str
    summary: str
    levels: tuple[str, ...]
    skills: tuple[str, ...]
    prerequisites: tuple[str, ...]
    estimated_hours: float
    demos: tuple[str, ...]
    resources: tuple[ResourceSpec, ...]
    body: str
    path: str
    content_hash: str
    core: bool = False  # a full lesson (see content/README.md), not a survey
    replaces: tuple[str, ...] = ()  # old topic ids whose learner state moves here


@dataclass
class Curriculum:
    phases: list[PhaseSpec] = field(default_factory=list)
    topics: list[TopicSpec] = field(default_factory=list)


@dataclass(frozen=True)
class ContentProblem:
    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


class ContentError(Exception):
    """Raised with every problem found; nothing has been imported when it is raised."""

    def __init__(self, problems: list[ContentProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class _FileProblem(Exception):
    pass


def split_front_matter(text: str) -> tuple[dict, str]:
    """Split '---\\nYAML\\n---\\nbody' into (mapping, body)."""
    if not text.startswith("---"):
        raise _FileProblem("no front matter: the file must start with a '---' line")
    parts = text.split("\n---", 1)
    if len(parts) != 2:
        raise _FileProblem("front matter is not closed by a '---' line")
    header, body = parts[0][3:], parts[1]
    body = body.split("\n", 1)[1] if "\n" in body else ""
    try:
        data = yaml.safe_load(header)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark else ""
        raise _FileProblem(f"front matter is not valid YAML{where}: {getattr(exc, 'problem', exc)}") from exc
    if not isinstance(data, dict):
        raise _FileProblem("front matter must be a mapping of fields")
    return data, body.strip()


def _require(data: dict, key: str, kind: type | tuple[type, ...]):
    if key not in data or data[key] is None:
        raise _FileProblem(f"missing field '{key}'")
    value = data[key]
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise _FileProblem(f"field '{key}' has the wrong type ({type(value).__name__})")
    return value


def _str_list(data: dict, key: str, *, required: bool = False) -> tuple[str, ...]:
    value = data.get(key)
    if value is None:
        if required:
            raise _FileProblem(f"missing field '{key}'")
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _FileProblem(f"field '{key}' must be a list of strings")
    return tuple(value)


# Bump when the importer stores a file differently, so unchanged files are written again.
IMPORT_FORMAT = "lessons-2"


def _hash(text: str) -> str:
    return hashlib.sha256(f"{IMPORT_FORMAT}\n{text}".encode()).hexdigest()


def parse_phase(path: Path, root: Path) -> PhaseSpec:
    text = path.read_text(encoding="utf-8")
    data, body = split_front_matter(text)
    weeks = data.get("weeks")
    goals = _parse_goals(data.get("goals"))
    if weeks is not None and (isinstance(weeks, bool) or not isinstance(weeks, int | float) or weeks <= 0):
        raise _FileProblem("field 'weeks' must be a positive number or null")
    return PhaseSpec(
        slug=_require(data, "id", str),
        order=_require(data, "order", int),
        title=_require(data, "title", str),
        duration=str(_require(data, "duration", (str, int))),
        weeks=float(weeks) if weeks is not None else None,
        goals=tuple(text for text, _ in goals),
        goal_lessons=tuple(lessons for _, lessons in goals),
        body=body,
        path=str(path.relative_to(root)),
        content_hash=_hash(text),
    )


def _parse_goals(raw) -> list[tuple[str, tuple[str, ...]]]:
    """Goals are plain strings or ``{text, taught_by}`` mappings (the lessons that teach them)."""
    if not isinstance(raw, list) or not raw:
        raise _FileProblem("field 'goals' must be a non-empty list")
    goals = []
    for i, item in enumerate(raw, start=1):
        if isinstance(item, str):
            goals.append((item, ()))
            continue
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise _FileProblem(f"goal {i} must be a string or a mapping with 'text' and 'taught_by'")
        taught_by = item.get("taught_by") or []
        if not isinstance(taught_by, list) or not all(isinstance(x, str) for x in taught_by):
            raise _FileProblem(f"goal {i}: 'taught_by' must be a list of topic ids (or 'notebook')")
        goals.append((item["text"], tuple(taught_by)))
    return goals


def _parse_resources(raw) -> tuple[ResourceSpec, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise _FileProblem("field 'resources' must be a list")
    resources = []
    for i, item in enumerate(raw, start=1):
        if not isinstance(item, dict) or not isinstance(item.get("title"), str):
            raise _FileProblem(f"resource {i} needs a 'title'")
        kind = item.get("kind")
        if kind not in RESOURCE_KINDS:
            raise _FileProblem(f"resource {i} ('{item['title']}') has unknown kind {kind!r}")
        url = item.get("url") or ""
        if not url and kind != "book":
            raise _FileProblem(f"resource {i} ('{item['title']}') needs a 'url' (only books may omit it)")
        if url and not url.startswith(("http://", "https://")):
            raise _FileProblem(f"resource {i} ('{item['title']}') has a url that is not http(s)")
        resources.append(ResourceSpec(item["title"], url, kind, str(item.get("note") or "")))
    return tuple(resources)


def parse_topic(path: Path, root: Path) -> TopicSpec:
    text = path.read_text(encoding="utf-8")
    data, body = split_front_matter(text)
    levels = _str_list(data, "levels", required=True)
    bad_levels = [lv for lv in levels if lv not in LEVELS]
    if bad_levels or not levels:
        raise _FileProblem(f"field 'levels' must list some of {', '.join(LEVELS)} (got {list(levels)})")
    demos = _str_list(data, "demos")
    unknown_demos = sorted(set(demos) - demo_slugs())
    if unknown_demos:
        raise _FileProblem(f"unknown demo(s): {', '.join(unknown_demos)}")
    hours = _require(data, "estimated_hours", (int, float))
    summary = _require(data, "summary", str)
    if len(summary) > 400:
        raise _FileProblem("field 'summary' is longer than 400 characters")
    return TopicSpec(
        slug=_require(data, "id", str),
        phase=_require(data, "phase", str),
        order=_require(data, "order", int),
        title=_require(data, "title", str),
        summary=summary,
        levels=levels,
        skills=_str_list(data, "skills"),
        prerequisites=_str_list(data, "prerequisites"),
        estimated_hours=float(hours),
        demos=demos,
        resources=_parse_resources(data.get("resources")),
        body=body,
        path=str(path.relative_to(root)),
        content_hash=_hash(text),
        core=_require_bool(data, "core"),
        replaces=_str_list(data, "replaces"),
    )


def _require_bool(data: dict, key: str) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        raise _FileProblem(f"field '{key}' must be true or false")
    return value


def _content_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.md") if p.name.lower() != "readme.md")


def load_curriculum(root: Path) -> Curriculum:
    """Parse and cross-check every phase and topic under `root`; raise ContentError on any problem."""
    problems: list[ContentProblem] = []
    result = Curriculum()
    for kind, folder, parse in (("phase", "phases", parse_phase), ("topic", "topics", parse_topic)):
        if not (root / folder).is_dir():
            problems.append(ContentProblem(str(root / folder), f"missing {kind} folder"))
            continue
        for path in _content_files(root / folder):
            try:
                spec = parse(path, root)
            except (_FileProblem, UnicodeDecodeError) as exc:
                problems.append(ContentProblem(str(path.relative_to(root)), str(exc)))
                continue
            (result.phases if kind == "phase" else result.topics).append(spec)
    problems += _cross_check(result)
    if problems:
        raise ContentError(problems)
    return result


def _duplicates(items, key) -> dict:
    seen: dict = {}
    dups: dict = {}
    for item in items:
        k = key(item)
        if k in seen:
            dups.setdefault(k, [seen[k].path]).append(item.path)
        else:
            seen[k] = item
    return dups


def _cross_check(cur: Curriculum) -> list[ContentProblem]:
    problems = []
    for slug, paths in _duplicates(cur.phases, lambda p: p.slug).items():
        problems.append(ContentProblem(paths[-1], f"duplicate phase id '{slug}' (also in {paths[0]})"))
    for order, paths in _duplicates(cur.phases, lambda p: p.order).items():
        problems.append(ContentProblem(paths[-1], f"duplicate phase order {order} (also in {paths[0]})"))
    for slug, paths in _duplicates(cur.topics, lambda t: t.slug).items():
        problems.append(ContentProblem(paths[-1], f"duplicate topic id '{slug}' (also in {paths[0]})"))
    for (phase, order), paths in _duplicates(cur.topics, lambda t: (t.phase, t.order)).items():
        problems.append(
            ContentProblem(paths[-1], f"duplicate order {order} in phase '{phase}' (also {paths[0]})")
        )
    phase_ids = {p.slug for p in cur.phases}
    topic_ids = {t.slug for t in cur.topics}
    for topic in cur.topics:
        if topic.phase not in phase_ids:
            problems.append(ContentProblem(topic.path, f"unknown phase '{topic.phase}'"))
        for prereq in topic.prerequisites:
            if prereq not in topic_ids:
                problems.append(
                    ContentProblem(topic.path, f"missing prerequisite '{prereq}' (no such topic)")
                )
    replaced: dict[str, str] = {}
    for topic in cur.topics:
        for old in topic.replaces:
            if old in topic_ids:
                problems.append(ContentProblem(topic.path, f"replaces '{old}', which is still a topic file"))
            elif old in replaced:
                problems.append(
                    ContentProblem(topic.path, f"'{old}' is already replaced by '{replaced[old]}'")
                )
            replaced[old] = topic.slug
    problems += _cycle_problems(cur.topics)
    return problems


def _cycle_problems(topics: list[TopicSpec]) -> list[ContentProblem]:
    graph = {t.slug: [p for p in t.prerequisites if p != t.slug] for t in topics}
    paths = {t.slug: t.path for t in topics}
    problems = [
        ContentProblem(t.path, "a topic cannot be its own prerequisite")
        for t in topics
        if t.slug in t.prerequisites
    ]
    state: dict[str, int] = {}  # 1 = on the current path, 2 = finished

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in graph.get(node, []):
            if state.get(nxt) == 1:
                cycle = [*trail[trail.index(nxt) :], nxt] if nxt in trail else [node, nxt]
                problems.append(ContentProblem(paths[nxt], "prerequisite cycle: " + " → ".join(cycle)))
            elif nxt in graph and state.get(nxt) is None:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for slug in graph:
        if state.get(slug) is None:
            visit(slug, [slug])
    return problems
