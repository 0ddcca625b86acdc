"""Grading one question: answer shapes, the marks an answer earns, rubric marks.

Pure functions over a question of a release document, its entry in the
release's answer keys and the learner's answer; nothing here reads the
database. Points are decimals to the hundredth, as hours are.
"""

import unicodedata
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from app.errors import InvalidInput
from app.models.enums import QuestionKind

# Long enough for a memo of several thousand words; a longer work product is
# a file. The bound keeps one answer from filling the database.
MAX_TEXT = 20_000
CENT = Decimal("0.01")
ZERO = Decimal("0.00")
CHOICE_KINDS = {QuestionKind.SINGLE_CHOICE, QuestionKind.TRUE_FALSE}


@dataclass(frozen=True)
class Mark:
    """What an answer earned; no points yet while it waits for a reviewer."""

    points: Decimal | None
    correct: bool | None

    @property
    def pending(self) -> bool:
        return self.points is None


@dataclass(frozen=True)
class Criterion:
    """One line of an essay's rubric, numbered from 0 as graders name it."""

    index: int
    criterion: str
    points: Decimal


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def kind_of(question: dict[str, Any]) -> QuestionKind:
    return QuestionKind(question["kind"])


def points_of(question: dict[str, Any]) -> Decimal:
    return cents(Decimal(str(question.get("points") or 0)))


def needs_review(question: dict[str, Any]) -> bool:
    return kind_of(question) is QuestionKind.ESSAY


def check_answer(question: dict[str, Any], answer: Any) -> dict[str, Any]:
    """The answer in its one accepted shape for the question's kind, or InvalidInput.

    Shapes: `{"choice": id}` for single choice and true/false,
    `{"choices": [id, ...]}` for multiple choice, `{"text": "..."}` for short
    answers and essays. Ids come back in their canonical form.
    """
    kind = kind_of(question)
    if kind in CHOICE_KINDS:
        picked = _only(answer, "choice", kind)
        return {"choice": _choice_id(question, picked)}
    if kind is QuestionKind.MULTIPLE_CHOICE:
        picked = _only(answer, "choices", kind)
        if not isinstance(picked, list):
            raise InvalidInput("choices is a list of choice ids.")
        ids = [_choice_id(question, value) for value in picked]
        if len(set(ids)) != len(ids):
            raise InvalidInput("Each choice may be picked once.")
        return {"choices": ids}
    text = _only(answer, "text", kind)
    if not isinstance(text, str):
        raise InvalidInput("text is a string.")
    if len(text) > MAX_TEXT:
        raise InvalidInput(
            f"An answer is at most {MAX_TEXT:,} characters; submit longer work "
            "as a file."
        )
    return {"text": text}


def _only(answer: Any, name: str, kind: QuestionKind) -> Any:
    if not isinstance(answer, dict) or set(answer) != {name}:
        raise InvalidInput(
            f'This question ({kind.value}) takes {{"{name}": ...}} and no more.'
        )
    return answer[name]


def _choice_id(question: dict[str, Any], value: Any) -> str:
    if not isinstance(value, str):
        raise InvalidInput("A choice is named by its id, a string.")
    try:
        canonical = str(uuid.UUID(value))
    except ValueError as exc:
        raise InvalidInput(f"{value[:40]!r} is not a choice id.") from exc
    if canonical not in {str(c["id"]) for c in question.get("choices", [])}:
        raise InvalidInput(f"Choice {canonical} is not one of this question's.")
    return canonical


def grade(
    question: dict[str, Any], key: dict[str, Any], answer: dict[str, Any] | None
) -> Mark:
    """What the answer earns against the release's key; essays are left pending.

    No answer earns nothing, and an unanswered essay needs no reviewer.
    """
    kind = kind_of(question)
    worth = points_of(question)
    if answer is None:
        return Mark(points=ZERO, correct=False)
    answer = check_answer(question, answer)
    right = _correct_choices(key)

    if kind in CHOICE_KINDS:
        hit = answer["choice"] in right
        return Mark(points=worth if hit else ZERO, correct=hit)

    if kind is QuestionKind.MULTIPLE_CHOICE:
        picked = set(answer["choices"])
        if picked == right:
            return Mark(points=worth, correct=True)
        rule = (key.get("answer_key") or {}).get("scoring")
        if rule == "all_or_nothing" or not right:
            return Mark(points=ZERO, correct=False)
        # Each wrong pick cancels a right one, so ticking every box earns
        # less than knowing: partial credit rewards knowledge, not guessing.
        net = len(picked & right) - len(picked - right)
        earned = cents(worth * max(0, net) / len(right))
        return Mark(points=earned, correct=False)

    if kind is QuestionKind.SHORT_ANSWER:
        given = normalise(answer["text"])
        accepted = {normalise(a) for a in _accepted(key)} - {""}
        hit = bool(given) and given in accepted
        return Mark(points=worth if hit else ZERO, correct=hit)

    if not answer["text"].strip():
        return Mark(points=ZERO, correct=False)
    return Mark(points=None, correct=None)


def _correct_choices(key: dict[str, Any]) -> set[str]:
    return {
        str(uuid.UUID(choice_id))
        for choice_id, choice in (key.get("choices") or {}).items()
        if choice.get("is_correct")
    }


def _accepted(key: dict[str, Any]) -> Iterable[str]:
    accepted = (key.get("answer_key") or {}).get("accepted") or []
    return [a for a in accepted if isinstance(a, str)]


def normalise(text: str) -> str:
    """Text as short answers compare it: case-folded, trimmed, single-spaced.

    Compatibility forms are folded first (full-width digits, ligatures), and
    punctuation around the answer goes ("72 hours." is "72 hours"). Plain
    string operations only: a pattern built from authored content could
    take exponential time on a hostile answer.
    """
    folded = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
    start, end = 0, len(folded)
    while start < end and _strippable(folded[start]):
        start += 1
    while end > start and _strippable(folded[end - 1]):
        end -= 1
    return folded[start:end]


def _strippable(char: str) -> bool:
    return char.isspace() or unicodedata.category(char).startswith("P")


def rubric_of(question: dict[str, Any], key: dict[str, Any]) -> list[Criterion]:
    """The essay's rubric; without one, a single criterion worth the question."""
    rubric = (key.get("answer_key") or {}).get("rubric") or []
    lines = [
        Criterion(index, str(line.get("criterion", "")), _rubric_points(line))
        for index, line in enumerate(rubric)
        if isinstance(line, dict)
    ]
    return lines or [Criterion(0, "Overall", points_of(question))]


def _rubric_points(line: dict[str, Any]) -> Decimal:
    try:
        return cents(max(Decimal(str(line.get("points") or 0)), ZERO))
    except InvalidOperation:
        return ZERO


def mark_rubric(
    question: dict[str, Any], key: dict[str, Any], scores: Any
) -> tuple[Decimal, list[dict[str, Any]]]:
    """A reviewer's marks, each criterion once and within its points.

    Returns the points the essay earns, the question's worth scaled by the
    share of the rubric earned, and the marks as stored.
    """
    rubric = rubric_of(question, key)
    if not isinstance(scores, list) or not all(isinstance(s, dict) for s in scores):
        raise InvalidInput("rubric_scores is a list of {criterion, points}.")
    given: dict[int, Decimal] = {}
    for score in scores:
        if set(score) != {"criterion", "points"}:
            raise InvalidInput("Each rubric score is {criterion, points} and no more.")
        index = score["criterion"]
        if isinstance(index, bool) or not isinstance(index, int):
            raise InvalidInput("criterion is the rubric line's number, from 0.")
        if not 0 <= index < len(rubric):
            raise InvalidInput(f"The rubric has no criterion {index}.")
        if index in given:
            raise InvalidInput(f"Criterion {index} is marked twice.")
        given[index] = _score(score["points"], rubric[index])
    missing = [c.index for c in rubric if c.index not in given]
    if missing:
        raise InvalidInput(f"Mark every criterion; missing: {missing}.")

    earned = sum(given.values(), ZERO)
    total = sum((c.points for c in rubric), ZERO)
    worth = points_of(question)
    points = worth if total == ZERO else cents(worth * earned / total)
    stored = [{"criterion": i, "points": str(given[i])} for i in sorted(given)]
    return min(points, worth), stored


def _score(value: Any, criterion: Criterion) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise InvalidInput("points is a number.")
    try:
        points = Decimal(str(value))
    except InvalidOperation as exc:
        raise InvalidInput(f"{str(value)[:20]!r} is not a number.") from exc
    if not points.is_finite() or not ZERO <= points <= criterion.points:
        raise InvalidInput(
            f"Criterion {criterion.index} takes from 0 to {criterion.points} points."
        )
    if points != cents(points):
        raise InvalidInput("points is a number to at most two decimal places.")
    return cents(points)


def percent_of(score: Decimal, max_score: Decimal) -> Decimal:
    """The score as a percentage to the hundredth; nothing to lose is 100."""
    if max_score <= ZERO:
        return Decimal("100.00")
    return cents(score * 100 / max_score)


def has_passed(percent: Decimal, pass_mark: int) -> bool:
    return percent >= Decimal(pass_mark)
