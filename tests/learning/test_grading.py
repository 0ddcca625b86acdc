"""Grading one question: every kind, partial credit, normalising, hostile answers."""

import uuid
from decimal import Decimal

import pytest

from app.errors import InvalidInput
from app.services import grading
from app.services.grading import Criterion, Mark


def choice_question(kind: str, correct: list[bool], points: str = "2.00", **key):
    """A question as a release document has it, and its entry in the keys."""
    ids = [str(uuid.uuid4()) for _ in correct]
    question = {
        "id": str(uuid.uuid4()),
        "kind": kind,
        "points": points,
        "choices": [{"id": i, "label": f"Choice {n}"} for n, i in enumerate(ids)],
    }
    entry = {
        "answer_key": key or None,
        "grading_notes": None,
        "choices": {
            i: {"is_correct": c, "feedback": None}
            for i, c in zip(ids, correct, strict=True)
        },
    }
    return question, entry, ids


def text_question(kind: str, answer_key, points: str = "3.00"):
    question = {"id": str(uuid.uuid4()), "kind": kind, "points": points, "choices": []}
    return question, {"answer_key": answer_key, "grading_notes": None, "choices": {}}


@pytest.mark.parametrize("kind", ["single_choice", "true_false"])
def test_one_choice_earns_its_points_only_when_right(kind):
    question, key, (right, wrong) = choice_question(kind, [True, False])

    assert grading.grade(question, key, {"choice": right}) == Mark(
        Decimal("2.00"), True
    )
    assert grading.grade(question, key, {"choice": wrong}) == Mark(
        Decimal("0.00"), False
    )


def test_choice_ids_are_read_in_any_spelling_of_the_uuid():
    question, key, (right, _) = choice_question("single_choice", [True, False])

    assert grading.grade(question, key, {"choice": right.upper()}) == Mark(
        Decimal("2.00"), True
    )


@pytest.mark.parametrize(
    ("picks", "points", "correct"),
    [
        ([0, 1, 2], "2.00", True),
        ([0, 1], "1.33", False),
        ([0], "0.67", False),
        ([0, 1, 3], "0.67", False),
        ([0, 1, 2, 3], "1.33", False),
        ([0, 3], "0.00", False),
        ([3], "0.00", False),
        ([], "0.00", False),
    ],
)
def test_multiple_choice_gives_credit_for_right_picks_net_of_wrong_ones(
    picks, points, correct
):
    question, key, ids = choice_question("multiple_choice", [True, True, True, False])

    mark = grading.grade(question, key, {"choices": [ids[i] for i in picks]})

    assert mark == Mark(Decimal(points), correct)


@pytest.mark.parametrize(
    ("picks", "points", "correct"),
    [([0, 1], "2.00", True), ([0], "0.00", False), ([0, 1, 2], "0.00", False)],
)
def test_multiple_choice_all_or_nothing_needs_exactly_the_right_set(
    picks, points, correct
):
    question, key, ids = choice_question(
        "multiple_choice", [True, True, False], scoring="all_or_nothing"
    )

    mark = grading.grade(question, key, {"choices": [ids[i] for i in picks]})

    assert mark == Mark(Decimal(points), correct)


@pytest.mark.parametrize(
    "given",
    [
        "72 hours",
        "  72   HOURS ",
        "72 hours.",
        '"72 hours"',
        "Seventy-Two Hours!",
        "\u00ab72\u00a0hours\u00bb",
        "\uff17\uff12 hours",  # full-width digits
    ],
)
def test_short_answer_matches_after_normalising_both_sides(given):
    question, key = text_question(
        "short_answer", {"accepted": ["72 Hours", "seventy-two hours"]}
    )

    assert grading.grade(question, key, {"text": given}) == Mark(Decimal("3.00"), True)


@pytest.mark.parametrize("given", ["72", "72 hours or so", "", "...", "7 2 hours"])
def test_short_answer_other_text_earns_nothing(given):
    question, key = text_question("short_answer", {"accepted": ["72 hours", "?"]})

    assert grading.grade(question, key, {"text": given}) == Mark(Decimal("0.00"), False)


def test_short_answer_patterns_in_the_key_are_plain_text():
    question, key = text_question("short_answer", {"accepted": ["(a+)+$", "26(c)"]})

    assert grading.grade(question, key, {"text": "aaaa"}) == Mark(
        Decimal("0.00"), False
    )
    assert grading.grade(question, key, {"text": "26(c)"}) == Mark(
        Decimal("3.00"), True
    )


def test_normalising_a_hostile_answer_stays_linear():
    hostile = "(" * 10_000 + " " * 5_000 + "!" * 4_999 + "x"

    assert grading.normalise(hostile) == "x"


def test_essay_waits_for_a_reviewer_unless_left_blank():
    question, key = text_question("essay", {"rubric": []})

    assert grading.grade(question, key, {"text": "My memo."}) == Mark(None, None)
    assert grading.grade(question, key, {"text": " \n "}) == Mark(
        Decimal("0.00"), False
    )
    assert grading.grade(question, key, {"text": "My memo."}).pending


def test_no_answer_earns_nothing_for_any_kind():
    for kind in ("single_choice", "multiple_choice", "true_false"):
        question, key, _ = choice_question(kind, [True, False])
        assert grading.grade(question, key, None) == Mark(Decimal("0.00"), False)
    for kind in ("short_answer", "essay"):
        question, key = text_question(kind, None)
        assert grading.grade(question, key, None) == Mark(Decimal("0.00"), False)


UNKNOWN = str(uuid.uuid4())


@pytest.mark.parametrize(
    ("kind", "answer", "message"),
    [
        (
            "single_choice",
            {"choice": UNKNOWN},
            f"Choice {UNKNOWN} is not one of this question's.",
        ),
        ("single_choice", {"choice": "1 OR 1=1"}, "'1 OR 1=1' is not a choice id."),
        ("single_choice", {"choice": 7}, "A choice is named by its id, a string."),
        (
            "single_choice",
            {"choice": None, "points": 2},
            'This question (single_choice) takes {"choice": ...} and no more.',
        ),
        (
            "true_false",
            ["True"],
            'This question (true_false) takes {"choice": ...} and no more.',
        ),
        (
            "multiple_choice",
            {"choices": "all"},
            "choices is a list of choice ids.",
        ),
        (
            "multiple_choice",
            {"choices": [UNKNOWN]},
            f"Choice {UNKNOWN} is not one of this question's.",
        ),
        (
            "short_answer",
            {"text": {"$ne": ""}},
            "text is a string.",
        ),
        (
            "essay",
            {"text": "x", "file": "/etc/passwd"},
            'This question (essay) takes {"text": ...} and no more.',
        ),
        (
            "short_answer",
            {"text": "x" * 20_001},
            "An answer is at most 20,000 characters; submit longer work as a file.",
        ),
        (
            "essay",
            {"text": "x" * 20_001},
            "An answer is at most 20,000 characters; submit longer work as a file.",
        ),
    ],
)
def test_hostile_answers_are_refused(kind, answer, message):
    if kind.endswith("choice") or kind == "true_false":
        question, key, _ = choice_question(kind, [True, False])
    else:
        question, key = text_question(kind, None)

    with pytest.raises(InvalidInput) as refused:
        grading.grade(question, key, answer)

    assert (refused.value.code, refused.value.message) == ("INVALID_INPUT", message)


def test_a_choice_may_be_picked_once():
    question, _, (right, _) = choice_question("multiple_choice", [True, False])

    with pytest.raises(InvalidInput) as refused:
        grading.check_answer(question, {"choices": [right, right.upper()]})

    assert refused.value.message == "Each choice may be picked once."


def test_text_of_exactly_the_limit_is_taken():
    question, _ = text_question("essay", None)

    assert grading.check_answer(question, {"text": "x" * 20_000}) == {
        "text": "x" * 20_000
    }


RUBRIC = {
    "rubric": [
        {"criterion": "Identifies every regime", "points": "4"},
        {"criterion": "States each deadline", "points": "4"},
        {"criterion": "Dates and times", "points": "2"},
    ]
}


def test_rubric_marks_add_up_to_the_essays_points():
    question, key = text_question("essay", RUBRIC, points="10.00")

    points, stored = grading.mark_rubric(
        question,
        key,
        [
            {"criterion": 2, "points": 1},
            {"criterion": 0, "points": "3.5"},
            {"criterion": 1, "points": Decimal("4")},
        ],
    )

    assert points == Decimal("8.50")
    assert stored == [
        {"criterion": 0, "points": "3.50"},
        {"criterion": 1, "points": "4.00"},
        {"criterion": 2, "points": "1.00"},
    ]
    assert grading.rubric_of(question, key) == [
        Criterion(0, "Identifies every regime", Decimal("4.00")),
        Criterion(1, "States each deadline", Decimal("4.00")),
        Criterion(2, "Dates and times", Decimal("2.00")),
    ]


def test_rubric_worth_other_than_the_question_is_scaled_to_it():
    question, key = text_question("essay", RUBRIC, points="5.00")

    points, _ = grading.mark_rubric(
        question,
        key,
        [{"criterion": i, "points": p} for i, p in enumerate(["4", "2", "1"])],
    )

    assert points == Decimal("3.50")


def test_essay_without_rubric_is_marked_as_a_whole():
    question, key = text_question("essay", None, points="6.00")

    assert grading.rubric_of(question, key) == [
        Criterion(0, "Overall", Decimal("6.00"))
    ]
    assert grading.mark_rubric(question, key, [{"criterion": 0, "points": 6}]) == (
        Decimal("6.00"),
        [{"criterion": 0, "points": "6.00"}],
    )


FULL = [{"criterion": 0, "points": 4}, {"criterion": 1, "points": 4}]


@pytest.mark.parametrize(
    ("scores", "message"),
    [
        (
            [*FULL, {"criterion": 2, "points": "2.01"}],
            "Criterion 2 takes from 0 to 2.00 points.",
        ),
        (
            [*FULL, {"criterion": 2, "points": -1}],
            "Criterion 2 takes from 0 to 2.00 points.",
        ),
        (
            [*FULL, {"criterion": 2, "points": "NaN"}],
            "Criterion 2 takes from 0 to 2.00 points.",
        ),
        (
            [*FULL, {"criterion": 2, "points": float("inf")}],
            "Criterion 2 takes from 0 to 2.00 points.",
        ),
        (
            [*FULL, {"criterion": 2, "points": "1e400"}],
            "Criterion 2 takes from 0 to 2.00 points.",
        ),
        (
            [*FULL, {"criterion": 2, "points": "1.005"}],
            "points is a number to at most two decimal places.",
        ),
        ([*FULL, {"criterion": 2, "points": "two"}], "'two' is not a number."),
        ([*FULL, {"criterion": 2, "points": True}], "points is a number."),
        (FULL, "Mark every criterion; missing: [2]."),
        (
            [*FULL, {"criterion": 3, "points": 0}],
            "The rubric has no criterion 3.",
        ),
        (
            [*FULL, {"criterion": 1, "points": 0}],
            "Criterion 1 is marked twice.",
        ),
        (
            [*FULL, {"criterion": "2", "points": 0}],
            "criterion is the rubric line's number, from 0.",
        ),
        (
            [*FULL, {"criterion": 2, "points": 0, "bonus": 5}],
            "Each rubric score is {criterion, points} and no more.",
        ),
        ({"0": 4}, "rubric_scores is a list of {criterion, points}."),
    ],
)
def test_rubric_marks_outside_the_rubric_are_refused(scores, message):
    question, key = text_question("essay", RUBRIC, points="10.00")

    with pytest.raises(InvalidInput) as refused:
        grading.mark_rubric(question, key, scores)

    assert (refused.value.code, refused.value.message) == ("INVALID_INPUT", message)


@pytest.mark.parametrize(
    ("score", "max_score", "percent"),
    [
        ("2", "3", "66.67"),
        ("1", "3", "33.33"),
        ("0.7", "1", "70.00"),
        ("0", "0", "100.00"),
    ],
)
def test_percent_is_rounded_to_the_hundredth(score, max_score, percent):
    assert grading.percent_of(Decimal(score), Decimal(max_score)) == Decimal(percent)


def test_pass_mark_is_met_by_reaching_it():
    assert grading.has_passed(Decimal("70.00"), 70)
    assert not grading.has_passed(Decimal("69.99"), 70)
