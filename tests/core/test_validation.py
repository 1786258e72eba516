import pytest

from forum.errors import InvalidParameters, MissingParameter
from forum.validation import clean_text, parse_int


def test_clean_text_keeps_emoji_and_right_to_left_text_exactly():
    text = "مرحبا بالعالم 👋🏽 — שלום 👩‍⚕️"
    assert clean_text(text, "raw") == text


def test_clean_text_normalises_line_endings_and_drops_invisible_controls():
    assert clean_text("a\r\nb\rc\x1b[31m\x07d\te", "raw") == "a\nb\nc[31md\te"


@pytest.mark.parametrize("value", ["", "   ", "\n\t ", None])
def test_clean_text_required_and_blank_is_missing(value):
    with pytest.raises(MissingParameter):
        clean_text(value, "raw")


@pytest.mark.parametrize("value", ["a\x00b", "a\ud800b", ["list"], {"a": 1}, True])
def test_clean_text_refuses_nul_surrogates_and_non_text(value):
    with pytest.raises(InvalidParameters):
        clean_text(value, "raw")


def test_clean_text_single_line_collapses_whitespace():
    assert (
        clean_text("  A\n title\twith   gaps ", "title", multiline=False) == " A title with gaps "
    )


@pytest.mark.parametrize(
    ("value", "expected"), [("12", 12), (7, 7), (" 3 ", 3), ("", None), (None, None)]
)
def test_parse_int_accepts_numbers_and_numeric_strings(value, expected):
    assert parse_int(value, "topic_id") == expected


@pytest.mark.parametrize("value", ["x", "1.5", 1.5, True, "9" * 30, [1]])
def test_parse_int_refuses_everything_else(value):
    with pytest.raises(InvalidParameters):
        parse_int(value, "topic_id")
