#!/usr/bin/env python3
"""Issue 7's comparison in one command: the peers and our cpu backend measured back to back, then one table of ratios.

1. bench/peers.py --quick (OpenBLAS sgemm through NumPy at 1 and 2 threads; PyTorch eager epochs at 1 thread),
2. the KerasGpu bench, quick mode, MatMul and MlpEpoch cases on `cpu:1` (one thread) and `cpu` (all cores),
3. ratios against the issue's targets: GEMM >= 0.75 of OpenBLAS at the same thread count; the 784-64-10 epoch
   <= 0.5 of PyTorch's 1-thread time and 784-512-512-10 <= 0.8 on one thread; two threads never slower than one.

Writes DIR/peers.md, DIR/ours/kerasgpu-summary.md and DIR/side-by-side.md (default DIR: ./side-by-side).
Run it with Debian's interpreter (python3-numpy, python3-torch, libopenblas0-pthread), from the repository root:
    /usr/bin/python3 bench/side-by-side.py
Timings on shared machines drift: read the ratios of one run, not numbers across runs.
"""
import argparse
import datetime
import json
import os
import re
import subprocess
import sys

GEMM_TARGET, SMALL_EPOCH_TARGET, LARGE_EPOCH_TARGET = 0.75, 0.5, 0.8
EPOCHS = {"Mlp784x64x10": "784-64-10", "Mlp784x512x512x10": "784-512-512-10"}


def seconds(text):
    """'0.286 s' / '286.00 ms' / '12.3 µs' -> seconds."""
    value, unit = text.split()
    return float(value) * {"s": 1, "ms": 1e-3, "µs": 1e-6, "ns": 1e-9}[unit]


def our_results(summary_path):
    """{(case, backend): GFLOP/s} and {(model, backend): (s/epoch, bytes/step)} from the bench's summary table."""
    gemm, epochs = {}, {}
    with open(summary_path) as f:
        for line in f:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) < 5 or not cells[0].startswith(("MatMul.", "MlpEpoch.")) or cells[3] == "failed":
                continue
            bench, case, backend, mean, rate = cells[:5]
            if bench.startswith("MatMul."):
                gemm[(case, backend)] = float(rate.split()[0])
            else:
                per_step = cells[9] if len(cells) > 9 else "-"
                epochs[(EPOCHS[bench.split(".", 1)[1]], backend)] = (seconds(mean), per_step)
    return gemm, epochs


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default="side-by-side", help="output directory (default ./side-by-side)")
    ap.add_argument("--reuse", action="store_true", help="recompute the ratios from the files of a previous run")
    args = ap.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)
    peers_json, summary = os.path.join(out, "peers.json"), os.path.join(out, "ours", "kerasgpu-summary.md")
    started = datetime.datetime.now(datetime.timezone.utc)
    if not args.reuse:
        subprocess.run([sys.executable, os.path.join(root, "bench", "peers.py"), "--quick", "--json", peers_json,
                        "--out", os.path.join(out, "peers.md")], check=True, cwd=root)
        subprocess.run(["dotnet", "run", "-c", "Release", "--project", os.path.join(root, "bench", "KerasGpu.Bench"), "--",
                        "--quick", "--backends", "cpu,cpu:1", "--out", os.path.join(out, "ours"),
                        "--filter", "*MatMul*", "*MlpEpoch*"], check=True, cwd=root)
    with open(peers_json) as f:
        peers = json.load(f)
    gemm, epochs = our_results(summary)
    blas = {t: r.get("gflops", {}) for t, r in peers["numpy"].items()}
    torch1 = peers["torch"].get("1", {}).get("epochs", {})

    lines = [f"# Side by side ({started:%Y-%m-%d %H:%M} UTC)", "",
             "Command: `/usr/bin/python3 bench/side-by-side.py` (peers.py --quick, then the bench's MatMul and MlpEpoch "
             "cases on cpu:1 and cpu). Targets from issue 7.", "",
             "| MatMul case | ours 1T | OpenBLAS 1T | ratio 1T | ours 2T | OpenBLAS 2T | ratio 2T |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    misses = []
    cases = [c for c, b in gemm if b == "cpu:1"]
    for case in cases:
        row, ratios = [case], []
        for ours_backend, threads in (("cpu:1", "1"), ("cpu", "2")):
            ours, peer = gemm.get((case, ours_backend)), blas.get(threads, {}).get(case)
            ratio = ours / peer if ours and peer else None
            row += [f"{ours:.1f}" if ours else "-", f"{peer:.1f}" if peer else "-", f"{ratio:.2f}" if ratio else "-"]
            if ratio is not None and ratio < GEMM_TARGET and not case.startswith(("256^3", "512^3")):
                misses.append(f"GEMM {case} {threads}T at {ratio:.2f} of OpenBLAS (target {GEMM_TARGET})")
        lines.append("| " + " | ".join(row) + " |")
    lines += ["", "| Epoch | ours 1T (s) | ours 2T (s) | PyTorch 1T (s) | 1T / PyTorch | target | 2T / 1T | allocated/step 1T, 2T |",
              "|---|---:|---:|---:|---:|---:|---:|---|"]
    for model, target in (("784-64-10", SMALL_EPOCH_TARGET), ("784-512-512-10", LARGE_EPOCH_TARGET)):
        one, two, peer = epochs.get((model, "cpu:1")), epochs.get((model, "cpu")), torch1.get(model, {}).get("seconds")
        ratio = one[0] / peer if one and peer else None
        scaling = two[0] / one[0] if one and two else None
        lines.append(f"| {model} | {one[0]:.3f} | {two[0]:.3f} | {peer:.3f} | {ratio:.2f} | <= {target} | {scaling:.2f} | {one[1]}, {two[1]} |"
                     if one and two and peer else f"| {model} | missing | | | | | | |")
        if ratio is not None and ratio > target:
            misses.append(f"epoch {model} at {ratio:.2f} of PyTorch 1T (target {target})")
        if scaling is not None and scaling > 1:
            misses.append(f"epoch {model}: 2 threads slower than 1 ({scaling:.2f}x)")
    lines += ["", "Targets missed in this run: " + ("none" if not misses else "; ".join(misses)) + "."]
    text = "\n".join(lines)
    print(text)
    with open(os.path.join(out, "side-by-side.md"), "w") as f:
        f.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
