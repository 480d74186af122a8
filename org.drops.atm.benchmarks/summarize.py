#!/usr/bin/env python3
"""Medians and ratios of a ConformanceDecisionBenchmark JSON result (JMH -rf json).

Usage: python3 org.drops.atm.benchmarks/summarize.py org.drops.atm.benchmarks/target/policing.json

For each regime: the median of every measured iteration of every fork (ns per decision), the range of the
per-fork medians, and the ratio of each limiter to the fastest peer (Guava, Bucket4j, Resilience4j).
"""
import json
import statistics
import sys

PEERS = ("guavaTryAcquire", "bucket4jTryConsume", "resilience4jAcquirePermission")


def main(path):
    with open(path) as f:
        runs = json.load(f)
    by_regime = {}
    for run in runs:
        name = run["benchmark"].rsplit(".", 1)[1]
        regime = run.get("params", {}).get("regime", "-")
        forks = run["primaryMetric"]["rawData"]
        samples = [x for fork in forks for x in fork]
        fork_medians = [statistics.median(fork) for fork in forks]
        by_regime.setdefault(regime, {})[name] = (statistics.median(samples), min(fork_medians), max(fork_medians))
    for regime, results in by_regime.items():
        fastest_peer = min((results[p][0], p) for p in PEERS if p in results)
        print(f"\nregime = {regime}; fastest peer: {fastest_peer[1]} at {fastest_peer[0]:.1f} ns")
        print(f"| benchmark | median ns/decision | fork medians | × fastest peer |")
        print(f"|---|---:|---:|---:|")
        for name, (median, low, high) in sorted(results.items(), key=lambda kv: kv[1][0]):
            print(f"| {name} | {median:.1f} | {low:.1f}–{high:.1f} | {median / fastest_peer[0]:.2f} |")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "org.drops.atm.benchmarks/target/policing.json")
