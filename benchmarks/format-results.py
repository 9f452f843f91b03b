#!/usr/bin/env python3
"""Turns a JMH JSON result of the core benchmarks into the Markdown table of docs/benchmarks.md.

usage: benchmarks/format-results.py results/jmh-STAMP.json [results/million-STAMP.txt] > docs/benchmarks.md

Each Weft benchmark `x` is paired with `xBaseline` (the same shape on a bare ForkJoinPool / CompletableFuture,
or a plain off-heap copy for put GB/s) from the same run; the table shows both, their ratio, Ray's published
figure and the target from BENCHMARKS.md. The machine line comes from the `.machine.json` beside the result.
"""
import json
import os
import sys

MIB100 = 100 * 1024 * 1024

# benchmark method -> (shape, Ray's figure, target, unit); unit "GB/s" converts ops/s of a 100 MiB put.
SHAPES = [
    ("tasksSync", "single client tasks, sync", 971, 50_000, "ops/s"),
    ("tasksAsync", "single client tasks, async (1,000 per op)", 8_194, 200_000, "ops/s"),
    ("multiClientTasksAsync", "multi client tasks, async (4 submitters)", 21_744, 200_000, "ops/s"),
    ("actorCallsSync", "1:1 actor calls, sync", 2_096, 50_000, "ops/s"),
    ("actorCallsAsync", "1:1 actor calls, async", 9_063, 200_000, "ops/s"),
    ("actorCallsConcurrent", "1:1 actor calls, concurrent", 5_480, 100_000, "ops/s"),
    ("actorCallsOneToN", "1:n actor calls, async (n = 4)", 8_606, 200_000, "ops/s"),
    ("actorCallsNToN", "n:n actor calls, async (n = 4)", 27_688, 200_000, "ops/s"),
    ("putSmall", "put calls (small)", 5_196, 500_000, "ops/s"),
    ("getSmall", "get calls (small)", 10_270, 500_000, "ops/s"),
    ("put100MiB", "put GB/s (100 MiB array)", 20.1, "≥ 50 % of plain copy", "GB/s"),
    ("get10kRefs", "get of an object holding 10k refs", 13.3, 200, "ops/s"),
    ("wait1kRefs", "wait on 1k refs (submit 1k tasks + wait)", 5.01, 500, "ops/s"),
    ("placementGroupCreateRemove", "placement group create + remove", 839, 10_000, "ops/s"),
]


def fmt(x):
    if x >= 100:
        return f"{x:,.0f}"
    if x >= 10:
        return f"{x:,.1f}"
    return f"{x:,.2f}"


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    path = sys.argv[1]
    with open(path) as f:
        runs = json.load(f)
    scores = {}
    for r in runs:
        method = r["benchmark"].rsplit(".", 1)[-1]
        m = r["primaryMetric"]
        err = m.get("scoreError")
        scores[method] = (m["score"], err if isinstance(err, (int, float)) and err == err else 0.0)
    machine = {}
    side = path[: -len(".json")] + ".machine.json"
    if os.path.exists(side):
        with open(side) as f:
            machine = json.load(f)
    jdk = machine.get("jdk") or (runs[0].get("jdkVersion", "?") if runs else "?")

    out = []
    out.append("| shape | Weft | baseline (same run) | Weft / baseline | Ray (64 vCPU) | target (2 cores) | met |")
    out.append("|---|---|---|---|---|---|---|")
    for method, shape, ray, target, unit in SHAPES:
        if method not in scores:
            out.append(f"| {shape} | not run | | | {ray} | {target} | |")
            continue
        s, e = scores[method]
        b, be = scores.get(method + "Baseline", (None, None))
        if unit == "GB/s":
            conv = MIB100 / 1e9
            weft = f"{fmt(s * conv)} ± {fmt(e * conv)} GB/s"
            base = f"{fmt(b * conv)} ± {fmt(be * conv)} GB/s" if b else "–"
            ratio = s / b if b else None
            met = "yes" if ratio is not None and ratio >= 0.5 else "no"
            ray_txt = f"{ray} GB/s"
        else:
            weft = f"{fmt(s)} ± {fmt(e)}"
            base = f"{fmt(b)} ± {fmt(be)}" if b else "–"
            ratio = s / b if b else None
            met = "yes" if s >= target else "no"
            ray_txt = fmt(ray)
            target = f"≥ {target:,}"
        if ratio is None:
            ratio_txt = "–"
        elif ratio < 0.1:
            ratio_txt = f"{ratio:.2g}×"
        else:
            ratio_txt = f"{ratio:.2f}×"
        out.append(f"| {shape} | {weft} | {base} | {ratio_txt} | {ray_txt} | {target} | {met} |")

    cores = machine.get("cores", "?")
    mem = machine.get("memoryBytes")
    mem_txt = f"{mem / 2**30:.0f} GiB" if mem else "?"
    print(f"Machine: {cores} cores, {mem_txt} RAM, JDK {jdk}, {machine.get('os', '')}; "
          f"load average at start {machine.get('loadAverage', '?')}. "
          f"JMH settings: `{machine.get('settings', '?')}`. Result file: `benchmarks/{os.path.relpath(path, os.path.dirname(os.path.abspath(__file__)))}`.")
    print()
    print("\n".join(out))
    if len(sys.argv) > 2:
        with open(sys.argv[2]) as f:
            lines = [l.strip() for l in f if l.strip()]
        print()
        print("1,000,000 queued empty tasks (`benchmarks/run-jmh.sh --million`, `-Xmx2g`):")
        print()
        for l in lines:
            print(f"    {l}")


if __name__ == "__main__":
    main()
