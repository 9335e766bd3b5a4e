"""`python -m bench [--quick] [--only NAME[,NAME]] [--out bench/results.json]`: run the benchmarks, print a table,
write the figures, parameters and machine facts as JSON.

    --quick          every benchmark at a small size (about three minutes; CI runs this)
    --only NAME      run only these (repeatable or comma-separated): planner, sms_throughput, naive_baseline,
                     email_throughput, pacing, webhooks, content_api, crisis
    --no-explore     skip the worker pool/concurrency exploration of the SMS benchmark (full runs explore)
    --workers SPEC   use this worker setup instead of exploring, e.g. threads/32, 2xthreads/32, prefork/8
    --keep-db        leave the clinic_bench database in place afterwards (for poking at it)

Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/clinic_bench; dropped and recreated),
BENCH_REDIS_URL (default redis://127.0.0.1:6379/10; only this run's keys are touched).
"""

import argparse
import datetime
import importlib
import json
import os
import signal
import sys
import time
import traceback
from pathlib import Path

from bench import harness

BENCHMARKS = [
    "planner",
    "sms_throughput",
    "naive_baseline",
    "email_throughput",
    "pacing",
    "webhooks",
    "content_api",
    "crisis",
]
DEFAULT_OUT = Path(__file__).resolve().parent / "results.json"


class Context:
    """What a benchmark module's run(ctx) gets."""

    def __init__(self, args):
        self.quick = args.quick
        self.explore = not args.quick and not args.no_explore and not args.workers
        self.workers = parse_workers(args.workers) if args.workers else None
        self.shared = {}  # results one benchmark hands to another (the winning worker setup)
        self.started = time.monotonic()

    def log(self, message):
        elapsed = time.monotonic() - self.started
        print(f"[{elapsed:7.1f}s] {message}", flush=True)


def parse_workers(spec):
    processes = 1
    if "x" in spec.split("/")[0]:
        count, spec = spec.split("x", 1)
        processes = int(count)
    pool, concurrency = spec.split("/")
    return harness.WorkerConfig(pool, int(concurrency), processes)


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", action="append", default=[])
    parser.add_argument("--out", default=str(DEFAULT_OUT))
    parser.add_argument("--no-explore", action="store_true")
    parser.add_argument("--workers")
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args(argv)
    selected = [name.strip() for value in args.only for name in value.split(",") if name.strip()] or BENCHMARKS
    unknown = sorted(set(selected) - set(BENCHMARKS))
    if unknown:
        parser.error(f"unknown benchmark(s) {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
    args.selected = [name for name in BENCHMARKS if name in selected]
    return args


def _terminate(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    run_id = f"{os.getpid()}"
    harness.configure_environment(run_id)
    signal.signal(signal.SIGTERM, _terminate)
    ctx = Context(args)
    database = harness.Database(os.environ["BENCH_DATABASE_URL"])
    database.lock()
    results = {
        "generated_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "command": "python -m bench " + " ".join(sys.argv[1:] if argv is None else argv),
        "mode": "quick" if args.quick else "full",
        "load_average_start": harness.load_average(),
        "benchmarks": {},
    }
    failures = 0
    try:
        ctx.log(f"benchmarks: {', '.join(args.selected)} ({results['mode']}); load average {harness.load_average()}")
        database.recreate(ctx.log)
        harness.setup_django()
        results["machine"] = harness.machine_info()
        for name in args.selected:
            module = importlib.import_module(f"bench.{name}")
            ctx.log(f"--- {module.TITLE}")
            busy_before = harness.wait_for_quiet(ctx.log)
            load_before = harness.load_average()
            started = time.monotonic()
            try:
                outcome = module.run(ctx)
                outcome["ok"] = True
            except Exception as exc:  # noqa: BLE001 - one broken benchmark must not hide the others' figures
                failures += 1
                traceback.print_exc()
                outcome = {"ok": False, "error": f"{type(exc).__name__}: {exc}", "figures": {}, "targets": []}
                harness.stop_everything()
            outcome["title"] = module.TITLE
            outcome["seconds"] = round(time.monotonic() - started, 1)
            outcome["load_average_before"] = load_before
            outcome["machine_busy_before"] = busy_before
            outcome["load_average_after"] = harness.load_average()
            results["benchmarks"][name] = outcome
            ctx.log(f"{module.TITLE}: done in {outcome['seconds']}s")
            write(results, args.out)
    except KeyboardInterrupt:
        ctx.log("interrupted; stopping everything")
        failures += 1
    finally:
        harness.stop_everything()
        try:
            harness.clear_redis()
        except Exception:  # noqa: BLE001 - Redis gone: nothing of ours to clean
            pass
        if not args.keep_db:
            try:
                database.drop()
            except Exception:  # noqa: BLE001
                traceback.print_exc()
    results["load_average_end"] = harness.load_average()
    results["seconds"] = round(time.monotonic() - ctx.started, 1)
    write(results, args.out)
    print_table(results)
    print(f"\nwrote {args.out} ({results['seconds']}s, load average at end {results['load_average_end']})")
    return 1 if failures else 0


def write(results, out):
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2, default=str) + "\n")


def print_table(results):
    rows = [("Benchmark", "Figure", "Value", "Target", "Met")]
    for outcome in results["benchmarks"].values():
        title = outcome["title"]
        if not outcome.get("ok"):
            rows.append((title, "ERROR", outcome.get("error", "")[:60], "", "no"))
            continue
        targeted = {target["name"]: target for target in outcome.get("targets", [])}
        for target in outcome.get("targets", []):
            met = "yes" if target["met"] else "NO"
            rows.append((title, target["name"], fmt(target["figure"]), target["target"], met))
            title = ""
        for name, value in outcome.get("figures", {}).items():
            if name in targeted:
                continue
            rows.append((title, name, fmt(value), "", ""))
            title = ""
    widths = [max(len(str(row[i])) for row in rows) for i in range(5)]
    print()
    for index, row in enumerate(rows):
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
        if index == 0:
            print("  ".join("-" * width for width in widths))


def fmt(value):
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


if __name__ == "__main__":
    sys.exit(main())
