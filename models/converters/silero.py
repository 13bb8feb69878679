"""Silero VAD v5 (ONNX, as shipped in npm @ricky0123/vad-web) -> TorchScript.

The published ONNX graph is one `If` on the sample rate: sr == 16000 takes the then-branch, anything else the
else-branch (8 kHz). Each branch is the same network with its own weights, stored as Constant nodes named after the
original PyTorch parameters ("...Inline_0__encoder.0.reparam_conv.weight"):

    x [B, N]  --reflect-pad right by P-->  conv1d with the STFT basis (2F x 1 x L, stride H)  -> |re, im| magnitude
              -> 4 x (conv1d k3 + ReLU), strides 1, 2, 2, 1  -> [B, 128, T]  (T must be 1: one decision per call)
              -> LSTM cell (h, c) = state[0], state[1]        -> ReLU -> conv1d 1x1 -> sigmoid -> mean over time
    16 kHz: L=256, H=128, F=129, P=64.   8 kHz: L=128, H=64, F=65, P=32.

The TorchScript module rebuilds exactly that from the graph's constants (no onnx at run time):

    forward(x: Tensor[B, N] float32, state: Tensor[2, B, 128] float32) -> (prob Tensor[B, 1], new_state [2, B, 128])
        the 16 kHz branch. What callers feed (the same as the ONNX model and every reference wrapper):
        N = 64 + 512 = 576: the last 64 samples of the PREVIOUS 512-sample chunk (zeros before the first chunk),
        then the current 512-sample chunk. state starts as zeros and is the previous call's new_state.
        Any N whose encoder output has one time step (192 <= N <= 703) runs, as in ONNX; others raise.
    forward_8k(x, state): the 8 kHz branch, N = 32 + 256 = 288 (context 32, chunk 256).

Parity (contract section 4): stream_outputs(module, manifest) streams frameline-pattern-v1 exactly as
models/reference/record-onnx.mjs feeds onnxruntime and returns {"prob": [chunks, 1, 1], "state": [chunks, 2, 1, 128]}
for reference.check_parity.

Standalone use (debugging; models/convert.py is the normal driver):
    /usr/bin/python3 models/converters/silero.py ONNX_FILE OUT.pt [models/silero_vad/manifest.json]
"""
from __future__ import annotations

import pathlib
import sys
from typing import Dict, Tuple

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import numpy_helper

try:
    from . import reference  # as part of the converters package (models/convert.py)
except ImportError:  # run as a script: this folder is on sys.path
    import reference  # type: ignore[no-redef]

CONVERTER_REVISION = 1
HIDDEN = 128


def _branch_constants(branch: onnx.GraphProto) -> Tuple[Dict[str, np.ndarray], int]:
    """The branch's named weights (keyed by their PyTorch names) and the right-hand reflect padding of the STFT."""
    weights: Dict[str, np.ndarray] = {}
    small: Dict[str, np.ndarray] = {}
    for node in branch.node:
        if node.op_type != "Constant":
            continue
        value = numpy_helper.to_array(node.attribute[0].t)
        name = node.output[0]
        small[name] = value
        if "Inline_0__" in name and "/" not in name.split("Inline_0__", 1)[1]:
            weights[name.split("Inline_0__", 1)[1]] = value
    pad_right = None
    for node in branch.node:
        # pads are built as Concat([begin, end] of the last dim, zeros for the other dims), then reordered for ONNX
        if node.op_type == "Concat" and "stft/padding" in node.output[0] and node.input[0] in small:
            begin, end = (int(v) for v in small[node.input[0]])
            if begin != 0:
                raise ValueError(f"unexpected STFT padding [{begin}, {end}]: this converter handles right padding only")
            pad_right = end
    if pad_right is None:
        raise ValueError("STFT padding not found in the ONNX branch: not the Silero v5 graph this converter knows")
    return weights, pad_right


def _stft_geometry(branch: onnx.GraphProto) -> Tuple[int, int]:
    for node in branch.node:
        if node.op_type == "Conv" and node.input[1].endswith("stft.forward_basis_buffer"):
            attrs = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
            return int(attrs["kernel_shape"][0]), int(attrs["strides"][0])
    raise ValueError("STFT convolution not found in the ONNX branch")


class SileroBranch(torch.nn.Module):
    """One sample-rate branch of Silero VAD v5."""

    def __init__(self, w: Dict[str, np.ndarray], pad_right: int, hop: int):
        super().__init__()
        t = lambda k: torch.from_numpy(np.array(w[k], dtype=np.float32, copy=True))  # noqa: E731
        basis = t("stft.forward_basis_buffer")
        self.register_buffer("basis", basis)
        self.pad_right = pad_right
        self.hop = hop
        self.freqs = basis.shape[0] // 2
        strides = [1, 2, 2, 1]
        self.encoder = torch.nn.ModuleList()
        for i, stride in enumerate(strides):
            weight, bias = t(f"encoder.{i}.reparam_conv.weight"), t(f"encoder.{i}.reparam_conv.bias")
            conv = torch.nn.Conv1d(weight.shape[1], weight.shape[0], kernel_size=3, stride=stride, padding=1)
            conv.weight.data.copy_(weight)
            conv.bias.data.copy_(bias)
            self.encoder.append(conv)
        if self.encoder[0].in_channels != self.freqs:
            raise ValueError("encoder input channels do not match the STFT basis")
        self.rnn = torch.nn.LSTMCell(HIDDEN, HIDDEN)
        for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            getattr(self.rnn, name).data.copy_(t(f"decoder.rnn.{name}"))
        weight = t("decoder.decoder.2.weight")
        self.out = torch.nn.Conv1d(HIDDEN, 1, kernel_size=1)
        self.out.weight.data.copy_(weight)
        self.out.bias.data.copy_(t("decoder.decoder.2.bias"))
        for p in self.parameters():
            p.requires_grad_(False)

    def forward(self, x: torch.Tensor, state: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        if x.dim() != 2:
            raise RuntimeError("silero_vad: x must be [batch, samples] float32")
        if state.dim() != 3 or state.size(0) != 2 or state.size(2) != 128 or state.size(1) != x.size(0):
            raise RuntimeError("silero_vad: state must be [2, batch, 128] (zeros at the start of a stream)")
        # STFT magnitude as a strided convolution with the stored (windowed Fourier) basis
        padded = F.pad(x.unsqueeze(1), [0, self.pad_right], mode="reflect")
        spec = F.conv1d(padded, self.basis, stride=self.hop)
        real = spec[:, : self.freqs, :]
        imag = spec[:, self.freqs :, :]
        feats = torch.sqrt(real * real + imag * imag)
        for conv in self.encoder:
            feats = torch.relu(conv(feats))
        if feats.size(2) != 1:
            raise RuntimeError(
                "silero_vad: one decision per call: feed context + chunk samples (576 at 16 kHz, 288 at 8 kHz)"
            )
        h, c = self.rnn(feats.squeeze(2), (state[0], state[1]))
        new_state = torch.stack([h, c], dim=0)
        prob = torch.sigmoid(self.out(torch.relu(h).unsqueeze(2)))  # [B, 1, 1]
        return prob.mean(dim=2), new_state


class SileroVadV5(torch.nn.Module):
    def __init__(self, at_16k: SileroBranch, at_8k: SileroBranch):
        super().__init__()
        self.at_16k = at_16k
        self.at_8k = at_8k

    def forward(self, x: torch.Tensor, state: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        return self.at_16k(x, state)

    @torch.jit.export
    def forward_8k(self, x: torch.Tensor, state: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        return self.at_8k(x, state)


def build_module(onnx_path: pathlib.Path) -> SileroVadV5:
    model = onnx.load(str(onnx_path))
    graph = model.graph
    ifs = [n for n in graph.node if n.op_type == "If"]
    if len(ifs) != 1 or [i.name for i in graph.input] != ["input", "state", "sr"]:
        raise ValueError(f"{onnx_path}: not the Silero VAD v5 graph (inputs input/state/sr, one If on sr)")
    consts = {n.output[0]: numpy_helper.to_array(n.attribute[0].t) for n in graph.node if n.op_type == "Constant"}
    equal = next(n for n in graph.node if n.output[0] == ifs[0].input[0])
    rate = [int(consts[i]) for i in equal.input if i in consts]
    if equal.op_type != "Equal" or rate != [16000]:
        raise ValueError(f"{onnx_path}: expected the If condition sr == 16000")
    branches = {a.name: a.g for a in ifs[0].attribute}
    made = {}
    for key, want_kernel in (("then_branch", 256), ("else_branch", 128)):
        weights, pad_right = _branch_constants(branches[key])
        kernel, hop = _stft_geometry(branches[key])
        if kernel != want_kernel:
            raise ValueError(f"{onnx_path}: {key} STFT kernel {kernel}, expected {want_kernel}")
        made[key] = SileroBranch(weights, pad_right, hop)
    return SileroVadV5(made["then_branch"], made["else_branch"]).eval()


def convert(manifest: dict, package_dir: pathlib.Path, out_path: pathlib.Path) -> None:
    files = manifest["source"]["files"]
    onnx_path = pathlib.Path(package_dir) / files[0]
    if not onnx_path.is_file():
        raise FileNotFoundError(f"{onnx_path}: the package has no such file (manifest source.files)")
    module = build_module(onnx_path)
    scripted = torch.jit.script(module)
    out_path = pathlib.Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_path.with_suffix(out_path.suffix + ".tmp")
    torch.jit.save(scripted, str(tmp))
    tmp.replace(out_path)


def stream(module, signal: torch.Tensor, chunk: int = 512, context: int = 64) -> Tuple[torch.Tensor, torch.Tensor]:
    """Runs a mono signal [samples] through the model chunk by chunk from a zero state, as a streaming caller must:
    each call gets the previous chunk's last `context` samples (zeros at first) then the chunk; the last chunk is
    zero-padded. Returns each call's outputs stacked: (probs [chunks, 1, 1], states [chunks, 2, 1, 128])."""
    chunks = (signal.numel() + chunk - 1) // chunk
    padded = torch.zeros(chunks * chunk + context, dtype=torch.float32)
    padded[context : context + signal.numel()] = signal
    state = torch.zeros(2, 1, HIDDEN)
    probs, states = [], []
    with torch.no_grad():
        for c in range(chunks):
            x = padded[c * chunk : c * chunk + context + chunk].unsqueeze(0)
            prob, state = module(x, state)
            probs.append(prob)
            states.append(state)
    return torch.stack(probs), torch.stack(states)


def stream_outputs(module, manifest: dict) -> dict:
    """The outputs reference.json records, by name (contract section 4, audio models)."""
    spec = manifest["input"]
    signal = reference.pattern_audio(16000, int(spec["sample_rate"]))
    probs, states = stream(module, signal, int(spec["chunk_samples"]), int(spec["context_samples"]))
    return {"prob": probs, "state": states}


if __name__ == "__main__":
    import json

    if len(sys.argv) not in (3, 4):
        sys.exit("usage: silero.py ONNX_FILE OUT.pt [manifest.json]")
    src = pathlib.Path(sys.argv[1])
    convert({"source": {"files": [src.name]}}, src.parent, pathlib.Path(sys.argv[2]))
    print(f"wrote {sys.argv[2]}")
    if len(sys.argv) == 4:
        manifest_path = pathlib.Path(sys.argv[3])
        manifest = json.loads(manifest_path.read_text())
        ref = json.loads((manifest_path.parent / manifest["reference"]).read_text())
        got = stream_outputs(torch.jit.load(sys.argv[2]), manifest)
        failures = reference.check_parity(got, ref)
        print(f"worst error {reference.worst_error(got, ref):.3g} (rtol {ref['rtol']}):",
              "PASS" if not failures else "FAIL\n" + "\n".join(failures))
        sys.exit(1 if failures else 0)
