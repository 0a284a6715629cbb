#!/usr/bin/env python3
"""Peer numbers for the KerasGpu benchmarks, on the same machine and in the same session.

- OpenBLAS sgemm through NumPy (Debian python3-numpy) at the bench's MatMul cases, 1 and 2 threads. Each thread
  count runs in its own subprocess with OPENBLAS_NUM_THREADS set and OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE removed
  from that subprocess's environment only (forcing them on this machine halves OpenBLAS); the OpenBLAS core
  (kernel) actually selected is reported.
- Where PyTorch imports: torch.mm fp32 at the same cases and one epoch of the same 784-64-10 MLP (and
  784-512-512-10) in eager PyTorch with Keras' RMSprop settings (alpha=rho=0.9, eps=1e-7, lr=1e-3), batch 64/128,
  60,000 synthetic MNIST-shaped samples, the last 20% held out for validation, 1 thread (and 2, our backend's
  thread count). On a GPU (--torch-device cuda) TF32 is off and every timing ends with torch.cuda.synchronize().

Prints markdown tables (and writes them to --out FILE). Use Debian's interpreter where pyenv hides its packages:
    /usr/bin/python3 bench/peers.py --quick
"""
import argparse
import ctypes
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import time

SQUARES_QUICK = [256, 512, 1024, 2048]
SQUARES_FULL = [256, 512, 1024, 2048, 4096]
MLP_LAYERS = [(64, 784, 64), (64, 64, 10), (128, 784, 512), (128, 512, 512), (128, 512, 10)]
SCRUBBED = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


def cases(quick):
    """Same labels and (M, N, K, transA, transB) as bench/KerasGpu.Bench/Primitives/MatMulBenchmarks.cs."""
    out = []
    for n in SQUARES_QUICK if quick else SQUARES_FULL:
        out.append((f"{n}^3 NN", n, n, n, False, False))
        if n in (1024, 2048):  # the NT/TN targets
            out.append((f"{n}^3 NT", n, n, n, False, True))
            out.append((f"{n}^3 TN", n, n, n, True, False))
    for b, i, o in MLP_LAYERS:
        layer = f"{b}x{i}x{o}"
        out.append((f"{layer} NN", b, o, i, False, False))  # Y = X W
        out.append((f"{layer} NT", b, i, o, False, True))   # dX = dY W^T
        out.append((f"{layer} TN", i, o, b, True, False))   # dW = X^T dY
    return out


def timed(fn, sync=lambda: None, min_time=0.1, repeats=5):
    """Median seconds per call over `repeats` rounds of at least `min_time` each (after one warm-up round)."""
    fn(); sync()
    n = 1
    while True:
        t = time.perf_counter()
        for _ in range(n):
            fn()
        sync()
        if time.perf_counter() - t >= min_time / 4 or n >= 1 << 20:
            break
        n *= 2
    per_call = []
    for _ in range(repeats):
        t = time.perf_counter()
        k = 0
        while True:
            for _ in range(n):
                fn()
            sync()
            k += n
            el = time.perf_counter() - t
            if el >= min_time:
                break
        per_call.append(el / k)
    return statistics.median(per_call)


def openblas_core():
    """(library, version/config, core name) of the OpenBLAS loaded in this process."""
    libs = []
    with open("/proc/self/maps") as f:
        for line in f:
            path = line.split()[-1]
            if ("openblas" in path.lower() or "libblas" in path.lower()) and ".so" in path and path not in libs:
                libs.append(path)
    # Prefer the BLAS itself over LAPACK mapped from the same folder.
    lib = next((p for p in libs if "libblas" in p or "libopenblas" in p), libs[0] if libs else None)
    if lib is None:
        return None, None, None
    try:
        so = ctypes.CDLL(lib)
        so.openblas_get_corename.restype = ctypes.c_char_p
        so.openblas_get_config.restype = ctypes.c_char_p
        return lib, so.openblas_get_config().decode(), so.openblas_get_corename().decode()
    except (OSError, AttributeError):
        return lib, None, None


def worker_numpy(quick, threads):
    import numpy as np
    rng = np.random.default_rng(1)
    res = {}
    for label, m, n, k, ta, tb in cases(quick):
        a = rng.uniform(-1, 1, (k, m) if ta else (m, k)).astype(np.float32)
        b = rng.uniform(-1, 1, (n, k) if tb else (k, n)).astype(np.float32)
        y = np.empty((m, n), np.float32)
        av, bv = (a.T if ta else a), (b.T if tb else b)
        s = timed(lambda: np.matmul(av, bv, out=y))
        res[label] = 2.0 * m * n * k / s / 1e9
    lib, config, core = openblas_core()
    info = None
    try:
        from threadpoolctl import threadpool_info
        info = [{k: d.get(k) for k in ("internal_api", "version", "architecture", "num_threads")} for d in threadpool_info()]
    except ImportError:
        pass
    return {"gflops": res, "numpy": np.__version__, "openblas_lib": lib, "openblas_config": config,
            "openblas_core": core, "threadpoolctl": info, "threads": threads}


def worker_torch(quick, threads, device, epochs):
    import torch
    import torch.nn.functional as F
    torch.set_num_threads(threads)
    dev = torch.device(device)
    if dev.type == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = False
        torch.backends.cudnn.allow_tf32 = False
    sync = (lambda: torch.cuda.synchronize()) if dev.type == "cuda" else (lambda: None)
    torch.manual_seed(1)
    res = {}
    for label, m, n, k, ta, tb in cases(quick):
        a = torch.rand((k, m) if ta else (m, k), device=dev) * 2 - 1
        b = torch.rand((n, k) if tb else (k, n), device=dev) * 2 - 1
        y = torch.empty((m, n), device=dev)
        av, bv = (a.t() if ta else a), (b.t() if tb else b)
        s = timed(lambda: torch.mm(av, bv, out=y), sync)
        res[label] = 2.0 * m * n * k / s / 1e9

    samples, val_split = 60_000, 0.2
    g = torch.Generator().manual_seed(42)
    x_all = (torch.randint(0, 256, (samples, 784), generator=g, dtype=torch.uint8).float() / 255).to(dev)
    y_all = torch.randint(0, 10, (samples,), generator=g).to(dev)
    n_train = samples - int(samples * val_split)  # Keras takes the validation samples from the end
    xt, yt, xv, yv = x_all[:n_train], y_all[:n_train], x_all[n_train:], y_all[n_train:]
    epochs_out = {}
    for name, hidden, batch in (("784-64-10", [64], 64), ("784-512-512-10", [512, 512], 128)):
        layers, width = [], 784
        for h in hidden:
            layers += [torch.nn.Linear(width, h), torch.nn.ReLU()]
            width = h
        layers.append(torch.nn.Linear(width, 10))
        model = torch.nn.Sequential(*layers).to(dev)
        for mod in model:
            if isinstance(mod, torch.nn.Linear):  # Keras Dense: glorot_uniform kernel, zero bias
                torch.nn.init.xavier_uniform_(mod.weight)
                torch.nn.init.zeros_(mod.bias)
        opt = torch.optim.RMSprop(model.parameters(), lr=1e-3, alpha=0.9, eps=1e-7)

        def epoch():
            model.train()
            perm = torch.randperm(n_train, device=dev)
            loss_sum = torch.zeros((), device=dev)
            correct = torch.zeros((), device=dev, dtype=torch.long)
            for i in range(0, n_train, batch):
                idx = perm[i:i + batch]
                xb, yb = xt[idx], yt[idx]
                logits = model(xb)
                loss = F.cross_entropy(logits, yb)
                opt.zero_grad(set_to_none=True)
                loss.backward()
                opt.step()
                loss_sum += loss.detach()
                correct += (logits.detach().argmax(1) == yb).sum()
            model.eval()
            with torch.no_grad():
                vloss = torch.zeros((), device=dev)
                for i in range(0, xv.shape[0], batch):
                    logits = model(xv[i:i + batch])
                    vloss += F.cross_entropy(logits, yv[i:i + batch], reduction="sum")
            return float(loss_sum), int(correct), float(vloss)  # one read-back per epoch, like Keras

        epoch(); sync()  # warm-up
        times = []
        for _ in range(epochs):
            t = time.perf_counter()
            epoch(); sync()
            times.append(time.perf_counter() - t)
        steps = -(-n_train // batch)
        epochs_out[name] = {"batch": batch, "seconds": statistics.median(times), "all": times, "steps": steps}
    return {"gflops": res, "epochs": epochs_out, "torch": torch.__version__, "threads": threads, "device": device,
            "torch_blas": torch.__config__.show().split("BLAS_INFO=")[-1].split(",")[0] if "BLAS_INFO=" in torch.__config__.show() else None}


def run_worker(kind, threads, args):
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED}
    env["OPENBLAS_NUM_THREADS"] = str(threads)
    env["OMP_NUM_THREADS"] = str(threads)
    cmd = [sys.executable, os.path.abspath(__file__), "--worker", kind, "--threads", str(threads),
           "--torch-device", args.torch_device, "--epochs", str(args.epochs)] + (["--quick"] if args.quick else [])
    print(f"peers: {kind}, {threads} thread(s) ...", file=sys.stderr, flush=True)
    p = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if p.returncode != 0:
        return {"error": (p.stderr.strip().splitlines() or ["exit code %d" % p.returncode])[-1]}
    return json.loads(p.stdout.strip().splitlines()[-1])


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="square sizes 256-2048 (full: up to 4096)")
    ap.add_argument("--threads", default="1,2", help="thread counts, comma-separated (default 1,2)")
    ap.add_argument("--torch-threads", default="1", help="PyTorch thread counts on the CPU (default 1)")
    ap.add_argument("--torch-device", default="cpu", help="cpu or cuda")
    ap.add_argument("--epochs", type=int, default=3, help="measured PyTorch epochs (after one warm-up)")
    ap.add_argument("--no-torch", action="store_true")
    ap.add_argument("--out", help="also write the tables to this file")
    ap.add_argument("--json", help="also write the raw results (GFLOP/s by case and thread count, epoch seconds) to this file")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.worker:
        t = int(args.threads)
        r = worker_numpy(args.quick, t) if args.worker == "numpy" else worker_torch(args.quick, t, args.torch_device, args.epochs)
        print(json.dumps(r))
        return 0

    threads = [int(t) for t in args.threads.split(",")]
    numpy_runs = {t: run_worker("numpy", t, args) for t in threads}
    torch_runs = {}
    torch_note = None
    if args.no_torch:
        torch_note = "skipped (--no-torch)"
    else:
        probe = subprocess.run([sys.executable, "-c", "import torch; print(torch.__version__)"], capture_output=True, text=True)
        if probe.returncode != 0:
            torch_note = f"PyTorch not importable by {sys.executable}: {(probe.stderr.strip().splitlines() or ['?'])[-1]}"
        else:
            torch_threads = [int(t) for t in args.torch_threads.split(",")] if args.torch_device == "cpu" else [1]
            torch_runs = {t: run_worker("torch", t, args) for t in torch_threads}

    lines = []
    w = lines.append
    w(f"# Peers ({'quick' if args.quick else 'full'})")
    w("")
    w(f"- Machine: {cpu_model()}, {os.cpu_count()} logical cores, {platform.platform()}")
    w(f"- Date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC")
    w(f"- Command: `{' '.join([os.path.basename(sys.executable)] + sys.argv)}`")
    w("- Environment of this shell: " + ", ".join(f"{k}={os.environ.get(k, '(unset)')}" for k in SCRUBBED)
      + "; both are removed in the measuring subprocesses")
    for t, r in numpy_runs.items():
        if "error" in r:
            w(f"- NumPy {t} thread(s): FAILED: {r['error']}")
        elif not r["openblas_core"]:
            w(f"- NumPy {r['numpy']}, {t} thread(s): NOT OpenBLAS: BLAS library {r['openblas_lib']} has no openblas_get_corename "
              "(Debian's reference BLAS? `apt-get install libopenblas0-pthread` switches libblas.so.3 to OpenBLAS)")
        else:
            w(f"- NumPy {r['numpy']}, {t} thread(s): OpenBLAS core `{r['openblas_core']}` ({r['openblas_config']}; {r['openblas_lib']})"
              + (f"; threadpoolctl: {r['threadpoolctl']}" if r.get("threadpoolctl") else ""))
    if torch_note:
        w(f"- PyTorch: {torch_note}")
    for t, r in torch_runs.items():
        w(f"- PyTorch {t} thread(s): " + (f"FAILED: {r['error']}" if "error" in r else
                                          f"torch {r['torch']} on {r['device']}, BLAS {r.get('torch_blas')}"))
    w("- Timing: median of 5 rounds of >= 0.1 s each, after a warm-up call; GFLOP/s = 2*M*N*K / time")
    w("")
    cols = [(f"OpenBLAS {t}T", numpy_runs[t]) for t in threads] + [(f"torch.mm {t}T", torch_runs[t]) for t in torch_runs]
    w("| MatMul case | M x N x K | " + " | ".join(c for c, _ in cols) + " |")
    w("|---|---|" + "---:|" * len(cols))
    for label, m, n, k, _, _ in cases(args.quick):
        vals = [f"{r['gflops'][label]:.1f}" if "gflops" in r else "-" for _, r in cols]
        w(f"| {label} | {m} x {n} x {k} | " + " | ".join(vals) + " |")
    w("")
    if torch_runs:
        w(f"PyTorch eager, one epoch (48,000 train + 12,000 validation samples), median of {args.epochs} after 1 warm-up:")
        w("")
        w("| Model | Batch | Threads | s/epoch | steps/s | all epochs (s) |")
        w("|---|---:|---:|---:|---:|---|")
        for t, r in torch_runs.items():
            for name, e in r.get("epochs", {}).items():
                w(f"| {name} | {e['batch']} | {t} | {e['seconds']:.3f} | {e['steps'] / e['seconds']:.1f} | "
                  + ", ".join(f"{s:.3f}" for s in e["all"]) + " |")
        w("")
    text = "\n".join(lines)
    print(text)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text + "\n")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"numpy": {str(t): r for t, r in numpy_runs.items()}, "torch": {str(t): r for t, r in torch_runs.items()}}, f)
    return 0


if __name__ == "__main__":
    sys.exit(main())
