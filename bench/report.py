"""`python -m bench.report [bench/results.json]`: the figures of a run as the Markdown table README shows."""

import json
import sys
from pathlib import Path

from bench.run import DEFAULT_OUT, fmt


def markdown(results):
    machine = results["machine"]
    versions = machine["versions"]
    lines = [
        f"Run {results['generated_at']} (`{results['command']}`, {results['seconds'] / 60:.0f} min): "
        f"{machine['cores']} cores ({machine['cpu_model']}), {machine['memory_gib']} GiB, Python {machine['python']}, "
        f"PostgreSQL {versions['postgresql']}, Redis {versions['redis']}, Celery {versions['celery']}, "
        f"gunicorn {versions['gunicorn']}. Load average at start {results['load_average_start']}, "
        f"at end {results['load_average_end']}.",
        "",
        "| Benchmark | Figure | Value | Target | Met |",
        "|---|---|---|---|---|",
    ]
    busy = {
        outcome["title"]: outcome["machine_busy_before"]
        for outcome in results["benchmarks"].values()
        if "machine_busy_before" in outcome
    }
    if busy:
        lines[0] += f" The CPUs were at most {max(busy.values()):.0%} busy when a benchmark started."
    for outcome in results["benchmarks"].values():
        title = outcome["title"]
        if not outcome.get("ok"):
            lines.append(f"| {title} | error | {outcome.get('error', '')} | | no |")
            continue
        for target in outcome.get("targets", []):
            met = "yes" if target["met"] else "**no**"
            lines.append(f"| {title} | {target['name']} | {fmt(target['figure'])} | {target['target']} | {met} |")
            title = ""
        shown = {target["name"] for target in outcome.get("targets", [])}
        for name, value in outcome.get("figures", {}).items():
            if name in shown or isinstance(value, dict):
                continue
            lines.append(f"| {title} | {name} | {fmt(value)} | | |")
            title = ""
    return "\n".join(lines)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    path = Path(argv[0]) if argv else DEFAULT_OUT
    try:
        results = json.loads(path.read_text())
    except FileNotFoundError:
        print(f"{path}: no such file; `make bench` writes it (or name a run, e.g. bench/runs/*.json)", file=sys.stderr)
        return 2
    except (OSError, ValueError) as exc:
        print(f"{path}: not a benchmark run ({exc})", file=sys.stderr)
        return 2
    print(markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
