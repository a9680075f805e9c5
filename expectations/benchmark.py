"""Time ``validate_batch`` on synthetic batches: ``python -m expectations.benchmark [N ...]``.

Reports are generated in code (invented values, GE Lunar and Hologic scales, ~5 % with one
reading error), so the numbers are reproducible anywhere. GX import and context start-up are
timed apart: they are paid once per process, not per batch. Best of three runs; CPU time is
printed beside wall time because a shared machine's load inflates the latter.
"""

from __future__ import annotations

import random
import sys
import time
from datetime import date

from dexa.contract import Frax, Measurement, Patient, Prior, ReportDocument, Source, Study

from .reference import REFERENCES

RUN_DATE = date(2025, 6, 1)


def synthetic_report(rng: random.Random, i: int) -> ReportDocument:
    scale = rng.choice(["lunar", "hologic"])
    vendor, device = (("GE Healthcare", "Lunar iDXA") if scale == "lunar"
                      else ("Hologic", "Horizon A"))
    sides = ["left"] if rng.random() < 0.7 else ["left", "right"]
    measurements = []
    for region in ("lumbar_spine", "femoral_neck", "total_hip"):
        for side in ([None] if region == "lumbar_spine" else sides):
            mean, sd = REFERENCES[scale][region]
            t = round(rng.gauss(-1.3, 1.0), 1)
            measurements.append(Measurement(
                region=region, side=side, levels="L1-L4" if side is None else None,
                bmd_g_cm2=round(mean + t * sd, 3), t_score=t, z_score=round(t + 1.0, 1)))
    if rng.random() < 0.05:  # a reading error: Z read as T
        measurements[1].t_score = measurements[1].z_score
    birth = date(rng.randint(1935, 1970), rng.randint(1, 12), rng.randint(1, 28))
    scan = date(2024, rng.randint(1, 12), rng.randint(1, 28))
    return ReportDocument(
        source=Source(path=f"f{i}.dcm", sha256=f"{i:064x}", kind="dicom-sr", vendor=vendor,
                      device=device),
        patient=Patient(id=f"SYN{i}", sex="F", birth_date=birth.isoformat(),
                        menopausal_status="post", height_cm=160.0, weight_kg=62.0),
        study=Study(scan_date=scan.isoformat()),
        measurements=measurements,
        frax=Frax(major_osteoporotic_pct=12.0, hip_pct=2.1) if rng.random() < 0.6 else None,
        priors=[Prior(scan_date="2021-05-02", region="femoral_neck", side="left",
                      bmd_g_cm2=measurements[1].bmd_g_cm2)] if rng.random() < 0.5 else [],
    )


def main(sizes: list[int]) -> None:
    from . import validate_batch

    rng = random.Random(42)
    start = time.perf_counter()
    validate_batch([synthetic_report(rng, 0)], run_date=RUN_DATE)
    print(f"GX import + context + first run: {time.perf_counter() - start:.2f} s")
    for n in sizes:
        reports = [synthetic_report(rng, i) for i in range(n)]
        walls, cpus = [], []
        for _ in range(3):
            wall, cpu = time.perf_counter(), time.process_time()
            validations = validate_batch(reports, run_date=RUN_DATE)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        failed = sum(not v.passed for v in validations)
        print(f"{n:>6} scans: {min(walls):.3f} s wall, {min(cpus):.3f} s CPU per batch "
              f"({1000 * min(cpus) / n:.3f} ms CPU/scan), {failed} scans with failures")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [500, 5000])
