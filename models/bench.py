#!/usr/bin/python3
"""CPU inference time of the converted image models (TorchScript) on the contract's pattern input.

    /usr/bin/python3 models/bench.py [--threads N] [--runs N] [NAME ...]

Prints, per model, the load time and the median and best time per image (batch 1) after 3 warm-up runs (the
profiling executor optimises on the first calls). Compare with the original runtime:
node models/reference/record-tfjs.mjs --time --no-write (tfjs-core CPU backend).
"""
from __future__ import annotations

import argparse
import json
import os
import pathlib
import statistics
import sys
import time

import torch

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from converters import reference  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("names", nargs="*")
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--cache", type=pathlib.Path,
                    default=pathlib.Path(os.environ.get("XDG_CACHE_HOME") or pathlib.Path.home() / ".cache") / "frameline")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    names = args.names or sorted(p.parent.name for p in HERE.glob("*/manifest.json"))
    print(f"torch {torch.__version__}, {args.threads} thread(s), {args.runs} runs after 3 warm-up runs")
    for name in names:
        manifest = json.loads((HERE / name / "manifest.json").read_text())
        spec = manifest["input"]
        if spec.get("kind") != "image":
            continue
        pt = args.cache / "models" / f"{name}.pt"
        if not pt.exists():
            print(f"{name}: {pt} missing (scripts/convert-models.sh)")
            continue
        t0 = time.perf_counter()
        module = torch.jit.load(str(pt)).eval()
        load_ms = (time.perf_counter() - t0) * 1000
        x = reference.pattern_image(spec["shape"], spec["scale"], spec["offset"])
        times = []
        with torch.no_grad():
            for _ in range(3):
                module(x)
            for _ in range(args.runs):
                t0 = time.perf_counter()
                module(x)
                times.append((time.perf_counter() - t0) * 1000)
        print(f"{name:14} load {load_ms:6.0f} ms   per image: median {statistics.median(times):7.1f} ms, "
              f"best {min(times):7.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
