"""A folder of DXA exports as a site sends them, built in code (synthetic data only)."""

from __future__ import annotations

from pathlib import Path

from tests.synth.cases import motivating_case, no_frax_low_bone_mass_case, osteoporosis_case


def write_export_folder(root: Path) -> dict[str, str]:
    """Write good and bad inputs under ``root``; return relative path -> expected outcome
    (and reason code after a colon for quarantined files)."""
    from tests.synth.pdf import ge_pdf, hologic_pdf, non_report_pdf
    from tests.synth.sr import ge_enhanced_sr

    files: dict[str, tuple[bytes, str]] = {}
    sr = ge_enhanced_sr(motivating_case())
    files["2024/03/14/motivating.dcm"] = (sr, "processed")
    files["2024/03/14/copy-of-motivating.dcm"] = (sr, "duplicate")
    files["2024/11/05/osteoporosis.pdf"] = (hologic_pdf(osteoporosis_case()), "processed")
    files["2024/07/22/no-frax.pdf"] = (ge_pdf(no_frax_low_bone_mass_case()), "processed")
    files["bad/empty.dcm"] = (b"", "quarantined:empty")
    files["bad/truncated.dcm"] = (sr[: len(sr) // 3], "quarantined:corrupt")
    files["bad/invoice.pdf"] = (non_report_pdf(), "quarantined:not_dxa")
    expected = {}
    for rel, (data, outcome) in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        expected[rel] = outcome
    return expected
