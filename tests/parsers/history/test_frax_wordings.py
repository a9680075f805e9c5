"""FRAX as written: a published threshold, a bound or an earlier scan's FRAX is no result;
whether BMD was used is read wherever the report says it (a provenance after the sentence, a
'BMD used' field, a box's last line)."""

from __future__ import annotations

import pytest

from parsers.history import read_frax
from parsers.history.frax import bmd_answer


def _frax(text: str) -> tuple[float | None, float | None, bool | None] | None:
    frax = read_frax(text.split("\n\n"))
    return None if frax is None else (frax.major_osteoporotic_pct, frax.hip_pct, frax.with_bmd)


# --- thresholds, guidelines, bounds and prior scans are not the patient's result ----------

@pytest.mark.parametrize(
    "text",
    ["For reference, the treatment thresholds in the US are a 10-year hip fracture probability "
     "of 3% and a major osteoporotic fracture probability of 20%.",
     "FRAX: the NOGG upper assessment threshold for her age equals a 10-year MOF probability "
     "of 18.5%.",
     "Drug treatment is usually advised when the ten-year probability of hip fracture is at "
     "least 3% or that of a major osteoporotic fracture is 20% or more.",
     "Treatment is advised if the 10 year probability of a hip fracture is >= 3%.",
     "BHOF intervention thresholds (10-year probability):\nMajor osteoporotic: 20%\nHip: 3%",
     "FRAX 10-year probability - guideline values: a hip fracture probability of 3% and a major "
     "osteoporotic\nfracture probability of 20%.",
     "Previous FRAX (2021): MOF 13%, hip 1.9%.",
     "At the prior visit the FRAX 10-year MOF probability was 16%.",
     "Per NOF guidance, treat when the FRAX 10-year hip fracture probability is 3% or more.",
     "National guidance: the FRAX 10-year hip fracture probability for treatment is 3%.",
     "FRAX not calculated (patient already on treatment).",
     "FRAX risk factors: parental hip fracture, glucocorticoids, rheumatoid arthritis",
     "FRAX 10-year probability\nMajor osteoporotic fracture:\nHip fracture:"],
)
def test_a_threshold_a_bound_or_a_prior_frax_is_no_result(text: str) -> None:
    assert _frax(text) is None


@pytest.mark.parametrize(
    ("text", "mof", "hip"),
    [("FRAX 10-year probability of major osteoporotic fracture 26.3%, which is above the NOGG "
      "intervention threshold; hip fracture 4.2%.", 26.3, 4.2),
     ("Major osteoporotic fracture risk (FRAX) 15.1% (intervention threshold for age 18.0%), "
      "hip fracture risk 2.7%.", 15.1, 2.7),
     ("The 10-year MOF probability of 21% exceeds the 20% treatment threshold.", 21.0, None),
     ("FRAX: MOF 12.5% is below the treatment threshold, hip 1.1%.", 12.5, 1.1),
     ("FRAX: MOF 16% (previously 11%), hip 2.2%.", 16.0, 2.2),
     ("FRAX including prior fracture: MOF 21.2%, hip 3.4%.", 21.2, 3.4),
     # 'NOF' is also the neck of femur: no guideline without a guideline word
     ("FRAX using the left NOF BMD: MOF 14.3%, hip 2.6%.", 14.3, 2.6),
     ("FRAX (NOF T-score entered): MOF 14.3%, hip 2.6%.", 14.3, 2.6)],
)
def test_a_result_beside_a_threshold_is_read(text: str, mof: float | None,
                                             hip: float | None) -> None:
    result = _frax(text)
    assert result is not None and result[:2] == (mof, hip)


# --- with or without BMD, wherever it is said ---------------------------------------------

@pytest.mark.parametrize(
    ("text", "with_bmd"),
    [("FRAX ten-year probabilities: major osteoporotic fracture 14.2%, hip fracture 3.3%. "
      "(without BMD)", False),
     ("FRAX ten-year probabilities: major osteoporotic fracture 14.2%, hip fracture 3.3%. "
      "[BMD included]", True),
     ("FRAX 10-year probability: MOF 9.1%, hip 0.8%.\nCalculated including femoral neck BMD.",
      True),
     ("FRAX 10-Year Probability of Fracture\nMajor Osteoporotic 17.0%\nHip 2.2%\n(BMD used)",
      True),
     ("FRAX 10-Year Probability of Fracture\nMajor Osteoporotic 17.0%\nHip 2.2%\n"
      "Calculated from clinical risk factors only", False),
     ("FRAX 10-year probability: MOF 12%, hip 2%.\nProbabilities exclude BMD.", False),
     ("FRAX 10-year probability: MOF 12%, hip 2%.\nFemoral neck BMD is reduced.", None),
     ("FRAX 10-year probability: MOF 12%, hip 2%.\nFemoral neck BMD 0.712 g/cm2 with BMD "
      "T-score -1.9.", None)],
)
def test_a_provenance_beside_the_frax_is_read(text: str, with_bmd: bool | None) -> None:
    result = _frax(text)
    assert result is not None and result[2] is with_bmd


@pytest.mark.parametrize(
    ("answer", "with_bmd"),
    [("Y", True), ("N", False), ("", None), ("yes", True), ("no", False)],
)
def test_key_value_rows_of_an_ehr_export(answer: str, with_bmd: bool | None) -> None:
    text = f"FRAX_MAJOR_10Y | 14.0 | %\nFRAX_HIP_10Y | 2.5 | %\nFRAX_BMD_USED | {answer}"
    assert _frax(text) == (14.0, 2.5, with_bmd)


def test_hl7_observation_rows() -> None:
    text = ("OBX|5|NM|MOF^FRAX 10y major osteoporotic fracture probability without BMD^L||12.2|%"
            "|||||F\nOBX|6|NM|HIP^FRAX 10y hip fracture probability^L||1.4|%|||||F")
    assert _frax(text) == (12.2, 1.4, False)


@pytest.mark.parametrize(
    ("answer", "with_bmd"),
    [("Yes - total hip BMD", True), ("No (clinical risk factors only)", False),
     ("Calculated without BMD", False), ("Femoral neck BMD entered", True), ("", None),
     ("Not recorded", None), ("Not known", None),
     ("Unknown", None)],
)
def test_the_answer_of_a_bmd_used_field(answer: str, with_bmd: bool | None) -> None:
    assert bmd_answer(answer) is with_bmd
