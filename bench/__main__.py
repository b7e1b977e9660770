"""``make bench``: dash's costs as ratios against baselines measured in the same run."""

from __future__ import annotations

import os

import django


def _micro(seconds: float) -> str:
    return f"{seconds * 1e6:8.3f} µs"


def _dispatch() -> None:
    from bench import bench_dispatch

    print("Dispatching one event (best of runs, per call)")
    print(f"{'listeners':>9}  {'dash':>11}  {'Signal.send':>11}  {'plain loop':>11}"
          f"  {'dash/signal':>11}  {'dash/loop':>9}")
    for row in bench_dispatch.run():
        print(
            f"{row['listeners']:>9}  {_micro(row['dash'])}  {_micro(row['signal'])}"
            f"  {_micro(row['loop'])}  {row['dash'] / row['signal']:>10.2f}×"
            f"  {row['dash'] / row['loop'] if row['loop'] else float('nan'):>8.2f}×"
        )
    print("Targets: dash/signal ≤ 1.00× at every count; dash/loop ≤ 2.00× at 10.")


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    django.setup()
    _dispatch()


if __name__ == "__main__":
    main()
