"""Write the gallery of docs/reports.md: report pages for a demo force as PNG (SYNTHETIC data).

Run: ``.venv/bin/python scripts/gallery.py docs/gallery`` (``make gallery``). Builds a small
synthetic warehouse of every table, writes the performance report (PDF pages 1–3), the
all-forces comparison chart and the inspection profile, and renders PDF pages with pdftoppm.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from peelstat.demo.warehouse import load_tables, warehouse_tables
from peelstat.inspection.grades import example_grades
from peelstat.inspection.records_types import CdiAudit
from peelstat.reports.inspection import write_inspection
from peelstat.reports.performance import write_performance
from peelstat.reports.views import write_comparison
from peelstat.warehouse.connect import connect
from peelstat.workspace import Workspace

FORCE = "avon-and-somerset"
PERIOD = "Q3 2018/19"


def pdf_pages(pdf: Path, target: Path, name: str, pages: int) -> None:
    """The first ``pages`` pages of ``pdf`` as ``name-1.png`` … at 80 dpi."""
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", str(pages), str(pdf), str(target / name)],
        check=True,
    )
    for made in sorted(target.glob(f"{name}-*.png")):  # pdftoppm pads page numbers: -01, -1
        made.rename(target / f"{name}-{int(made.stem.rsplit('-', 1)[1])}.png")


def main(target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        con = connect(str(work / "warehouse.duckdb"))
        load_tables(con, warehouse_tables(first_month="2016-07", months=30))
        con.disconnect()
        workspace = Workspace(work / "warehouse.duckdb", create=False, store=work / "store.sqlite")
        judgments, findings = example_grades()
        workspace.records.save_judgments(judgments)
        workspace.records.save_findings(findings)
        lead = workspace.records.create_account("Gallery lead", "gallery lead password", "lead")
        illustration = "illustrative figures (SYNTHETIC warehouse)"
        workspace.records.save_cdi_audit(
            CdiAudit(FORCE, "2018-03", 0.914, 0.026, source=illustration), account=lead
        )
        report = write_performance(workspace, FORCE, PERIOD, work, pdf=True)
        pdf_pages(report[1], target, "performance", 3)
        compared = workspace.compare("residential_burglary", "2018-12", FORCE)
        png = next(f for f in write_comparison(compared, work).files if f.suffix == ".png")
        (target / "compare.png").write_bytes(png.read_bytes())
        inspection = write_inspection(workspace, FORCE, work, pdf=True)
        pdf_pages(inspection[1], target, "inspection", 4)
        for page in (2, 3):  # the grades pages: the docs show the summary and the estimates
            (target / f"inspection-{page}.png").unlink()
        workspace.close()
    print(f"Gallery written to {target}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/gallery"))
