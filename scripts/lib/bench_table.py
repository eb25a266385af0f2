#!/usr/bin/env python3
"""Prints scripts/bench.sh's Markdown table from its runs.tsv (name, run, status, log, command; one row per harness run).

A harness reports on stdout, in its log, lines `BENCH_RESULT {"bench", "metrics": [{"metric", "value", "unit"}],
"notes": [...]}` (bench/BenchSupport/BenchResult.cs). Each metric becomes a row: the median over the runs with the
spread (min-max), in the order the first run gave them; notes of a benchmark's first run follow the table. A result
line of another shape still shows: its numeric fields become metrics named by their path (unit by suffix). A run that
failed or printed no readable result line becomes a row saying so, and the exit status is 1 (their names on stderr).
"""
import csv
import json
import statistics
import sys

PREFIX = "BENCH_RESULT "
SUFFIX_UNITS = [("_per_s", "/s"), ("_ms", "ms"), ("_s", "s"), ("_mib", "MiB"), ("ratio", "×")]


def fmt(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if abs(value) >= 100 or float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:.1f}" if abs(value) >= 10 else f"{value:.2f}"


def flattened(node, path=""):
    """(name, value) of every number or bool in a result of no known shape, named by its path."""
    if isinstance(node, dict):
        for key, child in node.items():
            if key != "bench":
                yield from flattened(child, f"{path}.{key}" if path else key)
    elif isinstance(node, list):
        for i, child in enumerate(node):
            yield from flattened(child, f"{path}[{i}]")
    elif isinstance(node, (int, float)):
        yield path, node


def metrics_of(result):
    if isinstance(result.get("metrics"), list):
        return [(m["metric"], m["value"], m.get("unit", "")) for m in result["metrics"]]
    return [(name, value, next((unit for suffix, unit in SUFFIX_UNITS if name.endswith(suffix)), ""))
            for name, value in flattened(result)]


def cell(values):
    numbers = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
    if len(numbers) != len(values):
        return " / ".join(dict.fromkeys(fmt(v) for v in values))
    median = fmt(statistics.median(numbers))
    return f"{median} ({fmt(min(numbers))}–{fmt(max(numbers))})" if len(numbers) > 1 else median


def main(manifest):
    benchmarks = {}  # name -> {"command", "metrics": {(metric, unit): [values]}, "notes", "failed": [runs]}
    with open(manifest, encoding="utf-8") as rows:
        for row in csv.DictReader(rows, delimiter="\t"):
            bench = benchmarks.setdefault(row["name"], {"command": row["command"], "metrics": {}, "notes": None, "failed": []})
            if row["status"] != "0":
                status = f"exit status {row['status']}" if row["status"].isdigit() else row["status"]
                bench["failed"].append(f"run {row['run']}: {status} ({row['log']})")
                continue
            try:
                with open(row["log"], encoding="utf-8", errors="replace") as log:
                    results = [json.loads(line[len(PREFIX):]) for line in log if line.startswith(PREFIX)]
            except ValueError as error:
                bench["failed"].append(f"run {row['run']}: unreadable result line, {error} ({row['log']})")
                continue
            for result in results:
                for metric, value, unit in metrics_of(result):
                    bench["metrics"].setdefault((metric, unit), []).append(value)
            if bench["notes"] is None:
                bench["notes"] = [note for result in results for note in result.get("notes", [])]

    print("| benchmark | metric | value | unit | command |")
    print("|---|---|---:|---|---|")
    for name, bench in benchmarks.items():
        command = f"`{bench['command']}`"
        for (metric, unit), values in bench["metrics"].items():
            print(f"| {name} | {metric.replace('|', '/')} | {cell(values)} | {unit} | {command} |")
            command = ""
        for failure in bench["failed"]:
            print(f"| {name} | **FAILED** {failure} | | | {command} |")
            command = ""
    notes = [(name, note) for name, bench in benchmarks.items() for note in bench["notes"] or []]
    if notes:
        print()
        for name, note in notes:
            print(f"- {name}: {note}")

    failed = [name for name, bench in benchmarks.items() if bench["failed"]]
    if failed:
        print(f"bench: failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
