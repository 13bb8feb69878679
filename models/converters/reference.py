"""The reference input ("frameline-pattern-v1") and the parity check of the model-zoo contract.

Shared by every converter (tfjs_graph, silero) and by convert.py. The same pattern is computed by
models/reference/record-tfjs.mjs (JavaScript) and by core/models (C++); see models/CONTRACT.md, sections 3-4.
"""
from __future__ import annotations

import math
from typing import Iterable, Sequence

import numpy as np
import torch

PATTERN_NAME = "frameline-pattern-v1"
SAMPLE_COUNT = 256


def _per_channel(value, channels: int) -> list[float]:
    """scale/offset are a number or one number per channel."""
    if isinstance(value, (list, tuple)):
        if len(value) != channels:
            raise ValueError(f"expected {channels} per-channel values, got {len(value)}")
        return [float(v) for v in value]
    return [float(value)] * channels


def pattern_pixels(shape: Sequence[int]) -> np.ndarray:
    """Integer pixels 0..255 of the pattern, float64 array of shape [N, C, H, W]."""
    n, c, h, w = (int(d) for d in shape)
    nn = np.arange(n, dtype=np.float64).reshape(n, 1, 1, 1)
    cc = np.arange(c, dtype=np.float64).reshape(1, c, 1, 1)
    hh = np.arange(h, dtype=np.float64).reshape(1, 1, h, 1)
    ww = np.arange(w, dtype=np.float64).reshape(1, 1, 1, w)
    v = 0.5 + 0.5 * np.sin(0.37 * (cc + 1) + 0.113 * hh + 0.071 * ww + 1.3 * nn) * np.cos(0.029 * hh - 0.047 * ww)
    # round half away from zero; v >= 0 so floor(x + 0.5) is exactly that
    return np.floor(255.0 * v + 0.5)


def pattern_image(shape: Sequence[int], scale=1.0, offset=0.0) -> torch.Tensor:
    """The contract's image pattern, NCHW float32: pixel * scale[c] + offset[c], computed in double."""
    pixels = pattern_pixels(shape)
    channels = int(shape[1])
    s = np.array(_per_channel(scale, channels), dtype=np.float64).reshape(1, channels, 1, 1)
    o = np.array(_per_channel(offset, channels), dtype=np.float64).reshape(1, channels, 1, 1)
    return torch.from_numpy((pixels * s + o).astype(np.float32))


def pattern_audio(samples: int = 16000, sample_rate: int = 16000) -> torch.Tensor:
    """The contract's audio pattern: 1 s of 16 kHz mono float32, shape [samples]."""
    t = np.arange(samples, dtype=np.float64)
    x = (0.3 * np.sin(2 * math.pi * 180 * t / sample_rate) * (0.5 + 0.5 * np.sin(2 * math.pi * 2.5 * t / sample_rate))
         + 0.05 * np.sin(2 * math.pi * 1234 * t / sample_rate))
    return torch.from_numpy(x.astype(np.float32))


def sample_indices(size: int, count: int = SAMPLE_COUNT) -> list[int]:
    """floor(k * size / count) for k = 0..count-1 (integer arithmetic, as JS and C++ do it)."""
    return [(k * size) // count for k in range(count)]


def record_output(name: str, values: torch.Tensor) -> dict:
    """One reference.json output entry from a tensor (used by recorders written in Python, e.g. silero)."""
    flat = values.detach().reshape(-1).to(torch.float64)
    size = flat.numel()
    idx = sample_indices(size)
    idx += [int(torch.argmax(flat)), int(torch.argmin(flat))]
    return {
        "name": name,
        "shape": list(values.shape),
        "max_abs": float(flat.abs().max()) if size else 0.0,
        "samples": [[i, float(flat[i])] for i in idx],
    }


def check_parity(outputs: dict, reference: dict, rtol: float | None = None) -> list[str]:
    """Compare model outputs (name -> tensor) with a reference.json document.

    Returns one line per failing output, naming the output and its worst sample; an empty list means parity holds:
    |got - ref| <= rtol * |ref| + rtol * max_abs for every sample (contract section 4).
    """
    if rtol is None:
        rtol = float(reference.get("rtol", 1e-4))
    failures: list[str] = []
    for entry in reference.get("outputs", []):
        name = entry["name"]
        if name not in outputs:
            failures.append(f"output '{name}' missing (model gives {sorted(outputs)})")
            continue
        got = outputs[name]
        if not isinstance(got, torch.Tensor):
            got = torch.as_tensor(got)
        got_shape = list(got.shape)
        if got_shape != list(entry["shape"]):
            failures.append(f"output '{name}' has shape {got_shape}, reference {entry['shape']}")
            continue
        flat = got.detach().reshape(-1).to(torch.float64)
        max_abs = float(entry.get("max_abs", 0.0))
        worst = None  # (excess, index, got, ref)
        bad = 0
        for index, ref in entry["samples"]:
            value = float(flat[int(index)])
            err = abs(value - ref) if math.isfinite(value) else math.inf
            allowed = rtol * abs(ref) + rtol * max_abs
            if err > allowed:
                bad += 1
                if worst is None or err - allowed > worst[0]:
                    worst = (err - allowed, int(index), value, ref, err)
        if worst is not None:
            _, index, value, ref, err = worst
            failures.append(f"output '{name}': {bad}/{len(entry['samples'])} samples off; worst at flat index {index}: "
                            f"got {value:.7g}, reference {ref:.7g} (|diff| {err:.3g}, max_abs {max_abs:.4g}, rtol {rtol:g})")
    return failures


def worst_error(outputs: dict, reference: dict) -> float:
    """The largest |got - ref| / (|ref| + max_abs) over all samples: the rtol this model actually reaches."""
    worst = 0.0
    for entry in reference.get("outputs", []):
        got = outputs.get(entry["name"])
        if got is None or list(got.shape) != list(entry["shape"]):
            return math.inf
        flat = got.detach().reshape(-1).to(torch.float64)
        max_abs = float(entry.get("max_abs", 0.0))
        for index, ref in entry["samples"]:
            denom = abs(ref) + max_abs
            err = abs(float(flat[int(index)]) - ref)
            if denom > 0:
                worst = max(worst, err / denom)
            elif err > 0:
                return math.inf
    return worst


def outputs_by_name(result, names: Iterable[str]) -> dict:
    """Pair a module's tuple output with the manifest's output names."""
    if isinstance(result, torch.Tensor):
        result = (result,)
    names = list(names)
    if len(result) != len(names):
        raise ValueError(f"model gives {len(result)} outputs, manifest names {len(names)}")
    return dict(zip(names, result))
