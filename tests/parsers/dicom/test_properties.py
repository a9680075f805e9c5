"""Random damage to valid files: the reader answers with a document or a typed rejection.

``parsers.parse_bytes`` turns any unexpected exception into ``corrupt`` with the message
"unreadable input (…)"; these tests also fail when that safety net was needed, so a reader
defect cannot hide behind it.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dexa.contract import ERROR_CODES, ReportDocument, ReportRejected
from parsers import parse_bytes
from tests.conftest import assert_valid_report
from tests.synth import cases, sr
from tests.synth.sr import HeaderQuirks

SAMPLES = [
    sr.ge_enhanced_sr(cases.motivating_case()),
    sr.ge_enhanced_sr(cases.normal_man_case(), score_vr="NUM", bmd_unit="mg/cm2",
                      quirks=HeaderQuirks(no_preamble=True)),
    sr.generic_sr(cases.osteoporosis_case(), sop="basic_text"),
    sr.loinc_sr(cases.premenopausal_z_case(), quirks=HeaderQuirks(implicit_vr=True)),
    sr.snomed_sr(cases.no_frax_low_bone_mass_case(),
                 quirks=HeaderQuirks(undefined_lengths=True)),
]
SETTINGS = settings(max_examples=150, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])


def _outcome(data: bytes) -> ReportDocument | ReportRejected:
    try:
        doc = parse_bytes(data, "fuzz.dcm")
    except ReportRejected as exc:
        assert exc.code in ERROR_CODES
        assert not exc.message.startswith("unreadable input ("), exc.__cause__
        assert "nested too deeply to read" not in exc.message
        return exc
    assert_valid_report(doc.to_dict())
    assert "Müller" not in doc.to_json()
    return doc


def test_the_samples_themselves_parse() -> None:
    assert all(isinstance(_outcome(data), ReportDocument) for data in SAMPLES)


@SETTINGS
@given(st.sampled_from(SAMPLES), st.lists(st.tuples(st.integers(0, 1 << 20),
                                                    st.integers(0, 255)), min_size=1,
                                          max_size=12))
def test_byte_flips(sample: bytes, flips: list[tuple[int, int]]) -> None:
    data = bytearray(sample)
    for at, value in flips:
        data[132 + at % (len(data) - 132)] = value  # past the preamble: damage the content
    _outcome(bytes(data))


@SETTINGS
@given(st.sampled_from(SAMPLES), st.floats(0.0, 1.0))
def test_truncation(sample: bytes, keep: float) -> None:
    outcome = _outcome(sample[:max(1, int(len(sample) * keep))])
    if keep < 0.999:
        assert isinstance(outcome, ReportRejected)


@SETTINGS
@given(st.sampled_from(SAMPLES), st.integers(0, 1 << 20), st.binary(min_size=1, max_size=64),
       st.booleans())
def test_insertions_and_deletions(sample: bytes, at: int, chunk: bytes, insert: bool) -> None:
    at = 132 + at % (len(sample) - 132)
    data = sample[:at] + chunk + sample[at:] if insert else sample[:at] + sample[at + len(chunk):]
    _outcome(data)
