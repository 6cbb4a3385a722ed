"""The lab's limits for every reader of its files (schemas/limits.json), metadata.json's schema
(schemas/metadata.json), the error a refused model or clip raises, and the feature settings'
checks, in the words the page uses. Runs with the standard library alone."""
import json
import math
import os


# The lab's limits for every reader of its files, from schemas/limits.json (which the page's
# src/dataset/limits.ts and src/dsp/settings.ts read too), so a zip the page refuses is refused
# here too, with the same reason. A model zip's predict.py carries this module inlined and travels
# alone: `npm run build:python` writes the JSON into SHARED_LIMITS_JSON below in that copy, and a unit
# test holds it equal to the file.
SHARED_LIMITS_JSON = None  # inlined by npm run build:python
# schemas/metadata.json (metadata.json's version and the migrations of older ones), inlined the same way.
SHARED_METADATA_SCHEMA_JSON = None  # inlined by npm run build:python


def _shared_json(inlined, name):
    if inlined is not None:
        return json.loads(inlined)
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "schemas", name)) as f:
        return json.load(f)


SHARED = _shared_json(SHARED_LIMITS_JSON, "limits.json")
METADATA_SCHEMA = _shared_json(SHARED_METADATA_SCHEMA_JSON, "metadata.json")
METADATA_VERSION = METADATA_SCHEMA["properties"]["version"]["const"]
LIMITS = SHARED["limits"]
SETTING_RANGES = {k: (r["min"], r["max"], r["integer"]) for k, r in SHARED["settingRanges"].items()}
MAX_SEGMENT_VALUES = SHARED["maxSegmentValues"]


def exponent_text(v):
    """A small number as JavaScript's toExponential() writes it (1e-6, not Python's 1e-06)."""
    mantissa, exponent = f"{v:e}".split("e")
    return f"{mantissa.rstrip('0').rstrip('.')}e{int(exponent)}"


# Every reader's words for a standardisation it cannot use (src/saving/metadata.ts says the same).
STANDARDIZATION_RANGE = (
    'metadata.json "standardization": every mean must be a finite number and every deviation '
    f'a number of at least {exponent_text(LIMITS["minDeviation"])}'
)


class ModelError(Exception):
    """A model or clip the lab would refuse: main() prints the reason, never a traceback."""


_UNSAFE = (
    set(range(0x20))
    | set(range(0x7F, 0xA0))
    | {0x200E, 0x200F, 0x2028, 0x2029}
    | set(range(0x202A, 0x202F))
    | set(range(0x2066, 0x206A))
)


def printable(name):
    """A name from a file, safe to print: control characters and direction overrides as escapes."""
    return "".join((f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}") if ord(c) in _UNSAFE else c for c in str(name))


def samples_per_segment(s):
    return int(math.floor(s["sampleRate"] * s["trackSeconds"] / s["segments"]))


def frames_per_segment(s):
    return -(-samples_per_segment(s) // s["hopLength"])


def values_per_frame(s):
    return s["nMels"] if s.get("featureType") == "logmel" else s["nMfcc"]


def number_text(v):
    """A number as JavaScript writes it (1e-2 as 0.01, 4.0 as 4), so messages read the same as the lab's."""
    return str(int(v)) if float(v).is_integer() else repr(float(v))


def settings_problem(s):
    """The first feature setting out of range, in the words the lab uses, or None (src/dsp/settings.ts)."""
    if not isinstance(s, dict):
        return "the feature settings must be an object"
    for k, (lo, hi, whole) in SETTING_RANGES.items():
        v = s.get(k)
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            return f"{k} must be a number, got {json.dumps(v)}"
        if whole and v != int(v):
            return f"{k} must be a whole number, got {number_text(v)}"
        if v < lo or v > hi:
            return f"{k} must be from {number_text(lo)} to {number_text(hi)}, got {number_text(v)}"
    n_fft = int(s["nFft"])
    if n_fft & (n_fft - 1):
        return f"nFft must be a power of two, got {n_fft}"
    if s.get("featureType") not in (None, "mfcc", "logmel"):
        return 'featureType must be "mfcc" or "logmel"'
    if s.get("featureType", "mfcc") == "mfcc" and s["nMfcc"] > s["nMels"]:
        return f"nMfcc ({number_text(s['nMfcc'])}) cannot exceed nMels ({number_text(s['nMels'])})"
    if s.get("padMode") not in ("constant", "reflect"):
        return 'padMode must be "constant" or "reflect"'
    if samples_per_segment(s) < s["hopLength"]:
        return "segments are shorter than one hop"
    if frames_per_segment(s) * values_per_frame(s) > MAX_SEGMENT_VALUES:
        return (
            f"segments of {frames_per_segment(s)} frames × {number_text(values_per_frame(s))} coefficients are too large "
            f"(at most {MAX_SEGMENT_VALUES} values a segment)"
        )
    return None
