"""The shared limits and the feature settings' checks, in the page's words."""
from gtzan_lab.intervals import wilson
from gtzan_lab.limits import LIMITS, printable, settings_problem
from predict import DEFAULT_SETTINGS

# The recipe's settings, as predict.py takes them when none are given.
GOOD = DEFAULT_SETTINGS


def test_the_recipes_settings_pass():
    assert settings_problem(GOOD) is None


def test_each_bad_setting_is_named_with_its_range():
    assert settings_problem({**GOOD, "nFft": 1000}) == "nFft must be a power of two, got 1000"
    assert settings_problem({**GOOD, "sampleRate": 10}) == "sampleRate must be from 1000 to 192000, got 10"
    assert settings_problem({**GOOD, "nMfcc": 1.5}) == "nMfcc must be a whole number, got 1.5"
    assert settings_problem({**GOOD, "nMfcc": 200, "nMels": 128}) == "nMfcc (200) cannot exceed nMels (128)"
    assert settings_problem({**GOOD, "padMode": "edge"}) == 'padMode must be "constant" or "reflect"'
    assert settings_problem([]) == "the feature settings must be an object"


def test_limits_come_from_the_shared_schema():
    assert LIMITS["genres"] == 8192 and "softmax" in LIMITS["activations"]


def test_control_and_direction_characters_are_escaped_for_a_terminal():
    assert printable("a\x1b[31mb\u202ec") == "a\\x1b[31mb\\u202ec"


def test_wilson_interval_of_half_right_of_100():
    low, high = wilson(50, 100)
    assert round(low, 4) == 0.4038 and round(high, 4) == 0.5962
    assert wilson(0, 0) == [0.0, 1.0]
