"""FSRS spaced repetition on plain data: a card's state is the JSON dict fsrs.Card.to_dict() gives.

Ratings come from grades: multiple choice wrong → Again, right → Good; free text by score band;
both combined so that neither a correct choice nor a good explanation is wasted.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from fsrs import Card, Rating, Scheduler, State

AGAIN, HARD, GOOD, EASY = (int(r) for r in (Rating.Again, Rating.Hard, Rating.Good, Rating.Easy))

# Free-text score bands → rating: below 0.34 (about a third of the key points) the answer is
# forgotten; below 0.6 it was hard; below 0.85 good; a near-complete answer is easy.
SCORE_BANDS: tuple[tuple[float, int], ...] = ((0.34, AGAIN), (0.6, HARD), (0.85, GOOD))

# Without fuzzing, the same ratings always give the same due dates: a learner holds a few hundred
# cards at most, too few for the clumping that fuzz spreads out to matter.
SCHEDULER = Scheduler(desired_retention=0.9, enable_fuzzing=False)


@dataclass(frozen=True)
class Review:
    state: dict
    due: datetime
    last_review: datetime
    lapsed: bool  # a card that was in review and was forgotten (rated Again)


def rating_for_score(score: float) -> int:
    for upper, rating in SCORE_BANDS:
        if score < upper:
            return rating
    return EASY


def rating_for_answer(*, options_correct: bool | None, score: float | None) -> int:
    """The grade's rating from the options (None: not counted) and the free-text score (None: none).

    Neither part is wasted: a correct choice keeps its Good whatever the explanation says, and a
    strong explanation lifts it to Easy; a wrong choice caps the rating at Hard, which a good
    explanation still earns (instead of Again)."""
    if score is None:
        return GOOD if options_correct else AGAIN
    rating = rating_for_score(score)
    if options_correct is True:
        return max(rating, GOOD)
    if options_correct is False:
        return min(rating, HARD)
    return rating


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def new_state() -> dict:
    return Card(card_id=1).to_dict()  # an explicit id: fsrs otherwise sleeps 1 ms to make one


def review(state: dict | None, rating: int, *, now: datetime) -> Review:
    """Apply one rating (1 Again … 4 Easy) at `now`; return the new state and due date."""
    card = Card.from_dict(state) if state else Card(card_id=1, due=_utc(now))
    was_review = card.state == State.Review
    card, _log = SCHEDULER.review_card(card, Rating(rating), review_datetime=_utc(now))
    return Review(card.to_dict(), card.due, card.last_review, was_review and rating == AGAIN)


def retrievability(state: dict | None, *, now: datetime) -> float:
    """Predicted probability (0..1) of recalling the card at `now`; 0 for a card never reviewed."""
    if not state:
        return 0.0
    return float(SCHEDULER.get_card_retrievability(Card.from_dict(state), _utc(now)))
