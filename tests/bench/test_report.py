"""`python -m bench.report`: the README table from a run, and a clear word when there is no run to read."""

import json

from bench import report


def test_a_missing_or_foreign_file_is_named_with_what_to_do(tmp_path, capsys):
    assert report.main([str(tmp_path / "results.json")]) == 2
    assert "no such file; `make bench` writes it" in capsys.readouterr().err
    foreign = tmp_path / "notes.txt"
    foreign.write_text("not json")
    assert report.main([str(foreign)]) == 2
    assert f"{foreign}: not a benchmark run" in capsys.readouterr().err


def test_a_run_prints_its_targets_and_how_busy_the_machine_was(tmp_path, capsys):
    run = {
        "generated_at": "2026-11-28T19:16:54+00:00",
        "command": "python -m bench",
        "seconds": 750,
        "load_average_start": [0.5, 0.5, 0.5],
        "load_average_end": [4.0, 2.9, 2.3],
        "machine": {
            "cores": 2,
            "cpu_model": "AMD EPYC",
            "memory_gib": 23.5,
            "python": "3.11.7",
            "versions": {"postgresql": "15", "redis": "7", "celery": "5.7.0", "gunicorn": "27.0.1"},
        },
        "benchmarks": {
            "webhooks": {
                "title": "5. Webhook ingestion",
                "ok": True,
                "machine_busy_before": 0.12,
                "targets": [{"name": "p95 (ms)", "figure": 10.4, "target": "< 20", "met": True}],
                "figures": {"p95 (ms)": 10.4, "server": "4 workers x 4 threads (gthread)"},
            }
        },
    }
    path = tmp_path / "run.json"
    path.write_text(json.dumps(run))
    assert report.main([str(path)]) == 0
    out = capsys.readouterr().out
    assert "at most 12% busy when a benchmark started" in out
    assert "| 5. Webhook ingestion | p95 (ms) | 10.4 | < 20 | yes |" in out
    assert "|  | server | 4 workers x 4 threads (gthread) | | |" in out
