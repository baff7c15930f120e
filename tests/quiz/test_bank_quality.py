"""Question-bank quality, counted from the content itself (issue 12).

A quiz measures knowledge only if its options do not give the answer away, every topic is
examined at more than one level, the terms it grades are taught where the learner reads, and
the curriculum and the bank state the same facts. Counts that the two bank halves own are
parametrized per phase, so a thin phase names itself.
"""

import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from curriculum.content_loader import load_curriculum
from quiz.content_loader import load_question_bank
from quiz.grading import find_terms

ROOT = Path(settings.BASE_DIR)
QUIZ_CONTENT = ROOT / "quiz" / "content"
CURRICULUM = load_curriculum(Path(settings.CURRICULUM_CONTENT_DIR))
TOPICS = {t.slug: t for t in CURRICULUM.topics}
PHASES = sorted({t.phase for t in CURRICULUM.topics})
BANK = load_question_bank(QUIZ_CONTENT, known_topics=set(TOPICS))

MIN_QUESTIONS_PER_TOPIC = 4
MAX_CORRECT_LONGEST = 0.35  # share of option questions whose correct option is the longest
MAX_CORRECT_AT_ONE_POSITION = 0.40  # share of correct answers stored at any one position
MIN_TERM_COVERAGE = 0.90  # share of questions whose key terms all appear on the main topic page
MAX_TERM_WORDS = 3  # a key term is a short cue, not a phrase copied from the model answer


def _phase_questions(phase: str) -> list:
    return [q for q in BANK if TOPICS[q.topics[0]].phase == phase]


def _with_options(questions) -> list:
    return [q for q in questions if q.options]


def _correct_is_longest(question) -> bool:
    longest = max(len(o.text) for o in question.options)
    return any(o.correct and len(o.text) == longest for o in question.options)


def _correct_is_shortest(question) -> bool:
    shortest = min(len(o.text) for o in question.options)
    return any(o.correct and len(o.text) == shortest for o in question.options)


def _correct_positions(questions) -> Counter:
    return Counter(i for q in questions for i, o in enumerate(q.options) if o.correct)


def _terms_taught(question) -> bool:
    """Every key term (a term may list alternatives: "a | b") matches the main topic's text."""
    body = TOPICS[question.topics[0]].body
    terms = [t for kp in question.key_points for t in kp.terms]
    return all(find_terms([a.strip() for a in t.split("|")], body) for t in terms)


@pytest.mark.parametrize("phase", PHASES)
def test_every_topic_has_enough_questions_at_more_than_one_level(phase):
    """≥ 4 questions whose main topic it is, and at least one senior or principal among them."""
    questions = _phase_questions(phase)
    thin = []
    for topic in (t for t in CURRICULUM.topics if t.phase == phase):
        own = [q for q in questions if q.topics[0] == topic.slug]
        senior = [q for q in own if q.level in ("senior", "principal")]
        if len(own) < MIN_QUESTIONS_PER_TOPIC or not senior:
            thin.append(f"{topic.slug}: {len(own)} questions, {len(senior)} senior/principal")

    assert thin == []


@pytest.mark.parametrize("phase", PHASES)
def test_correct_option_is_not_the_tell_in_a_phase(phase):
    """Neither the longest (nor, overcorrected, the shortest) option nor a fixed position marks the answer."""
    questions = _with_options(_phase_questions(phase))
    positions = _correct_positions(questions)
    longest = sum(_correct_is_longest(q) for q in questions)
    shortest = sum(_correct_is_shortest(q) for q in questions)

    assert longest <= MAX_CORRECT_LONGEST * len(questions), f"{longest} of {len(questions)}"
    assert shortest <= MAX_CORRECT_LONGEST * len(questions), f"{shortest} of {len(questions)} shortest"
    assert max(positions.values(), default=0) <= MAX_CORRECT_AT_ONE_POSITION * sum(positions.values()), (
        positions
    )


def test_correct_option_is_not_the_tell_across_the_bank():
    questions = _with_options(BANK)
    positions = _correct_positions(questions)
    longest = sum(_correct_is_longest(q) for q in questions)

    assert longest <= MAX_CORRECT_LONGEST * len(questions), f"{longest} of {len(questions)}"
    assert max(positions.values()) <= MAX_CORRECT_AT_ONE_POSITION * sum(positions.values()), positions


@pytest.mark.parametrize("phase", PHASES)
def test_no_principal_question_is_graded_by_choosing_an_option(phase):
    """Principal level is design and judgement, answered in the learner's own words.

    A principal question may keep options ('both') only as a self-check shown after the graded
    free text; 'mcq' would make the choice the grade.
    """
    chosen = [q.slug for q in _phase_questions(phase) if q.level == "principal" and q.kind == "mcq"]

    assert chosen == []


@pytest.mark.parametrize("phase", PHASES)
def test_key_terms_are_short_cues(phase):
    long_terms = [
        f"{q.slug}: {t}"
        for q in _phase_questions(phase)
        for kp in q.key_points
        for t in kp.terms
        if any(len(alternative.split()) > MAX_TERM_WORDS for alternative in t.split("|"))
    ]

    assert long_terms == []


@pytest.mark.parametrize("phase", PHASES)
def test_key_terms_are_taught_on_the_main_topic_page(phase):
    """What the grader looks for must be something the topic page teaches (≥ 90 % of questions)."""
    questions = _phase_questions(phase)
    untaught = [q.slug for q in questions if not _terms_taught(q)]

    assert len(untaught) <= (1 - MIN_TERM_COVERAGE) * len(questions), untaught


# Pinned facts: one statement, every place that teaches or grades it (format: quiz/content/README.md).
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}\b)")


def normalise(text: str) -> str:
    """Case, Unicode forms, dashes and minus signs, thousands separators and whitespace only."""
    text = _DASHES.sub("-", unicodedata.normalize("NFKC", text).lower())
    return " ".join(_THOUSANDS.sub("", text).split())


def _question_text(question) -> str:
    parts = [question.prompt, question.answer]
    parts += [f"{kp.text} {' '.join(kp.terms)}" for kp in question.key_points]
    parts += [f"{o.text} {o.why}" for o in question.options]
    return "\n".join(parts)


def _place_text(place: str) -> str:
    path, _, slug = place.partition("#")
    assert (ROOT / path).is_file(), f"{place}: no such file"
    if not slug:
        return (ROOT / path).read_text(encoding="utf-8")
    found = [q for q in BANK if q.slug == slug and q.path == str(Path(path).relative_to("quiz/content"))]
    assert found, f"{place}: no such question"
    return _question_text(found[0])


def _pinned_facts() -> list[dict]:
    facts = []
    for path in sorted(QUIZ_CONTENT.glob("pinned_facts*.yaml")):
        facts += yaml.safe_load(path.read_text(encoding="utf-8"))
    return facts


PINNED = _pinned_facts()


def test_pinned_facts_are_well_formed():
    ids = [f["id"] for f in PINNED]

    assert len(ids) >= 6 and len(ids) == len(set(ids))
    assert all(f["fact"].strip() and f["must_say"] and len(f["places"]) >= 2 for f in PINNED)


@pytest.mark.parametrize("fact", PINNED, ids=lambda f: f["id"])
def test_curriculum_and_bank_state_the_pinned_fact(fact):
    problems = []
    for place in fact["places"]:
        text = normalise(_place_text(place))
        for needed in fact["must_say"]:
            options = needed if isinstance(needed, list) else [needed]
            if not any(normalise(str(o)) in text for o in options):
                problems.append(f"{place} does not say {options}")
        for wrong in fact.get("must_not_say", []):
            if normalise(wrong) in text:
                problems.append(f"{place} still says {wrong!r}")

    assert problems == []


def test_normalise_folds_only_notation():
    assert (
        normalise("No_Speech_Prob > 0.6 and −1.0, 2,300 h – Hub5")
        == "no_speech_prob > 0.6 and -1.0, 2300 h - hub5"
    )


def test_importer_reads_pinned_facts_as_facts_not_questions(tmp_path):
    (tmp_path / "pinned_facts_b.yaml").write_text(
        (QUIZ_CONTENT / "pinned_facts.yaml").read_text(encoding="utf-8")
    )
    (tmp_path / "asr.yaml").write_text((QUIZ_CONTENT / "asr.yaml").read_text(encoding="utf-8"))

    questions = load_question_bank(tmp_path, known_topics=set(TOPICS))

    assert {q.path for q in questions} == {"asr.yaml"}
