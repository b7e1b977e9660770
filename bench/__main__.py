"""``make bench``: dash's costs as ratios against baselines measured in the same run."""

from __future__ import annotations

import os

import django


def _micro(seconds: float) -> str:
    return f"{seconds * 1e6:8.3f} µs"


def _dispatch() -> None:
    from bench import bench_dispatch

    print("Dispatching one event (best of runs, per call)")
    print(
        f"{'listeners':>9}  {'dash':>11}  {'Signal.send':>11}  {'plain loop':>11}"
        f"  {'dash/signal':>11}  {'dash/loop':>9}"
    )
    for row in bench_dispatch.run():
        print(
            f"{row['listeners']:>9}  {_micro(row['dash'])}  {_micro(row['signal'])}"
            f"  {_micro(row['loop'])}  {row['dash'] / row['signal']:>10.2f}×"
            f"  {row['dash'] / row['loop'] if row['loop'] else float('nan'):>8.2f}×"
        )
    print("Targets: dash/signal ≤ 1.00× at every count; dash/loop ≤ 2.00× at 10.")


def _bulk() -> None:
    from bench import bench_bulk

    print()
    print("Bulk writes with EventQuerySet (best of runs, one no-op listener)")
    print(f"{'write':<32}  {'QuerySet':>10}  {'EventQuerySet':>13}  {'ratio':>7}")
    for name, plain, events in bench_bulk.run():
        print(
            f"{name:<32}  {plain * 1e3:7.2f} ms  {events * 1e3:10.2f} ms"
            f"  {events / plain:6.2f}×"
        )


def _activity_save() -> None:
    from bench import bench_activity_save as save

    print()
    print(
        f"One save of an 8-field model, in-memory SQLite, {save.ROWS} per "
        f"transaction (best of {save.REPEAT}, per save)"
    )
    print("bare = Django's save() alone: dash's model-signal receivers disconnected,")
    print("django-auditlog not registered; nothing else listens.")
    print(
        f"{'set-up':<18}  {'create':>11}  {'update':>11}  {'create/bare':>11}"
        f"  {'update/bare':>11}"
    )
    rows = save.run()
    _, bare_create, bare_update = rows[0]
    for name, create, update in rows:
        print(
            f"{name:<18}  {_micro(create)}  {_micro(update)}"
            f"  {create / bare_create:>10.2f}×  {update / bare_update:>10.2f}×"
        )
    print(
        f"Targets: activity log ≤ {save.CREATE_TARGET:.2f}× bare for a create, "
        f"≤ {save.UPDATE_TARGET:.2f}× for an update."
    )


def _activity_admin() -> None:
    from bench import bench_activity_admin as pages

    print()
    print(
        f"The activity admin over {pages.ROWS:,} activities on PostgreSQL "
        f"(best of {pages.REPEAT}; stock Django admin best of {pages.STOCK_REPEAT})"
    )
    rows = pages.run()
    if rows is None:
        print("skipped: PostgreSQL is not answering on 127.0.0.1:5432")
        return
    print(f"{'page':<30}  {'dash':>9}  {'stock':>9}  {'stock/dash':>10}  target")
    for name, ours, stock in rows:
        theirs = f"{stock:6.1f} ms" if stock is not None else f"{'—':>9}"
        ratio = f"{stock / ours:9.1f}×" if stock is not None else f"{'—':>10}"
        verdict = "ok" if ours <= pages.TARGET_MS else "MISSED"
        print(f"{name:<30}  {ours:6.1f} ms  {theirs}  {ratio}  {verdict}")
    print(f"Target: each page under {pages.TARGET_MS:.0f} ms.")


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    _dispatch()
    _bulk()
    _activity_save()
    _activity_admin()


if __name__ == "__main__":
    main()
