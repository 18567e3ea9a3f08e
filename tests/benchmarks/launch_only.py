"""Only the launch measure of `make bench`: `python -m tests.benchmarks.launch_only`.

Start-up work is measured on its own, without the minutes the full table takes.
Never collected by pytest.
"""

from __future__ import annotations

import shutil
import statistics

from tests.benchmarks.bench_collection import CACHE
from tests.benchmarks.run import launch_ms


def main() -> None:
    workdir = CACHE / "work-launch"
    shutil.rmtree(workdir, ignore_errors=True)
    timings = launch_ms(workdir)
    shown = ", ".join(f"{ms:,.0f}" for ms in timings)
    print(f"launch to a usable deck list: median {statistics.median(timings):,.0f} ms ({shown})")


if __name__ == "__main__":
    main()
