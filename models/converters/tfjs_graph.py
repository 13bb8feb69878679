"""TF.js graph models (model.json + weight shards) -> TorchScript.

A small interpreter of the TensorFlow ops that TF.js graph models use, written with torch ops. The graph is walked
once when the module is built: constant sub-graphs are folded, weights are dequantised and re-laid out for torch
(HWIO -> OIHW, depthwise HWCM -> (C*M)1HW, MatMul -> Linear) and kept as buffers; torch.jit.trace then records the
remaining ops. Activations are NHWC in TF; here every 4-D activation is carried NCHW (torch's fast layout) with a
flag, and only turned back to NHWC where an op needs the logical layout (Reshape, StridedSlice, ...) or at the outputs.

Numerics follow tfjs-backend-cpu, the runtime the reference fixtures come from: TF 'SAME' padding is asymmetric
(the extra pixel goes after), AvgPool divides by the number of real (unpadded) pixels, ResizeBilinear/NearestNeighbor
use tfjs's source-coordinate formulas for align_corners/half_pixel_centers, TopKV2 breaks ties by the lower index.

Entry point for convert.py: convert(manifest, package_dir, out_path).
"""
from __future__ import annotations

import base64
import json
import math
import pathlib
import re
import subprocess
import warnings
from typing import Callable

import numpy as np
import torch
import torch.nn.functional as F

CONVERTER_REVISION = 2

_NHWC_TO_PHYS = {0: 0, 1: 2, 2: 3, 3: 1}  # logical NHWC axis -> axis of the NCHW tensor


class UnsupportedOp(RuntimeError):
    pass


# ---------------------------------------------------------------------------------------------------------------
# Loading model.json and the weight shards


def _node_eval_js(path: pathlib.Path) -> str:
    """The value a UMD bundle (nsfwjs ships model.json and shards as *.min.js) exports, as JSON text."""
    script = ("const v = require(process.argv[1]);"
              "process.stdout.write(typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v));")
    try:
        out = subprocess.run(["node", "-e", script, str(path.resolve())], check=True, capture_output=True)
    except FileNotFoundError as e:
        raise RuntimeError(f"{path}: node is needed to read weights wrapped in JavaScript (apt install nodejs)") from e
    except subprocess.CalledProcessError as e:
        raise RuntimeError(f"{path}: node could not load it: {e.stderr.decode(errors='replace')[-400:]}") from e
    return out.stdout.decode()


def read_model_json(path: pathlib.Path) -> dict:
    if path.name.endswith(".js"):
        return json.loads(_node_eval_js(path))
    return json.loads(path.read_text())


def _read_shard(path: pathlib.Path) -> bytes:
    if path.exists():
        return path.read_bytes()
    wrapped = path.with_name(path.name + ".min.js")
    if wrapped.exists():  # nsfwjs: the shard's bytes as a base64 string exported by a JS module
        return base64.b64decode(json.loads(_node_eval_js(wrapped)))
    raise FileNotFoundError(f"weight shard {path} (or {wrapped.name}) not found")


_BYTES = {"float32": 4, "int32": 4, "bool": 1, "uint8": 1, "uint16": 2, "float16": 2}


def decode_weights(weights_manifest: list, base_dir: pathlib.Path) -> dict[str, torch.Tensor]:
    """All weights of a weightsManifest, dequantised as tfjs-converter does (q * scale + min in double, stored as
    float32; float16 widened exactly). Integer tensors come back as int64."""
    out: dict[str, torch.Tensor] = {}
    for group in weights_manifest:
        data = b"".join(_read_shard(base_dir / p) for p in group["paths"])
        offset = 0
        for spec in group["weights"]:
            shape = [int(d) for d in spec["shape"]]
            count = int(np.prod(shape)) if shape else 1
            dtype = spec["dtype"]
            quant = spec.get("quantization")
            stored = quant["dtype"] if quant else dtype
            if stored not in _BYTES:
                raise UnsupportedOp(f"weight {spec['name']}: dtype {stored} is not supported")
            nbytes = count * _BYTES[stored]
            raw = data[offset:offset + nbytes]
            if len(raw) != nbytes:
                raise RuntimeError(f"weight {spec['name']}: shards end early ({len(raw)} of {nbytes} bytes)")
            offset += nbytes
            if stored == "float16":
                arr = np.frombuffer(raw, dtype="<f2").astype(np.float32)
            elif quant:
                q = np.frombuffer(raw, dtype="<u1" if stored == "uint8" else "<u2").astype(np.float64)
                arr = q * float(quant["scale"]) + float(quant["min"])
                arr = np.round(arr) if dtype == "int32" else arr.astype(np.float32)
            elif stored == "float32":
                arr = np.frombuffer(raw, dtype="<f4")
            elif stored == "int32":
                arr = np.frombuffer(raw, dtype="<i4")
            else:  # bool
                arr = np.frombuffer(raw, dtype="<u1").astype(bool)
            if dtype == "int32":
                t = torch.from_numpy(np.asarray(arr, dtype=np.int64).copy())
            elif dtype == "bool":
                t = torch.from_numpy(np.asarray(arr, dtype=bool).copy())
            elif dtype == "float32":
                t = torch.from_numpy(np.asarray(arr, dtype=np.float32).copy())
            else:
                raise UnsupportedOp(f"weight {spec['name']}: dtype {dtype} is not supported")
            out[spec["name"]] = t.reshape(shape)
    return out


# ---------------------------------------------------------------------------------------------------------------
# Node attributes


def _attr(node: dict, key: str, default=None):
    a = node.get("attr", {}).get(key)
    if a is None:
        return default
    if "list" in a:
        lst = a["list"]
        if "i" in lst:
            return [int(v) for v in lst["i"]]
        if "f" in lst:
            return [float(v) for v in lst["f"]]
        if "s" in lst:
            return [base64.b64decode(v).decode() for v in lst["s"]]
        return []
    if "s" in a:
        return base64.b64decode(a["s"]).decode()
    if "i" in a:
        return int(a["i"])
    if "f" in a:
        return float(a["f"])
    if "b" in a:
        return bool(a["b"])
    if "type" in a:
        return a["type"]
    return default


def _split_ref(ref: str) -> tuple[str, int]:
    name, _, index = ref.partition(":")
    return name, int(index) if index else 0


class V:
    """A value in the graph: a tensor, whether it is a folded constant, and whether a 4-D tensor is held NCHW."""
    __slots__ = ("t", "const", "nchw")

    def __init__(self, t: torch.Tensor, const: bool = False, nchw: bool = False):
        self.t = t
        self.const = const
        self.nchw = nchw


def _same_pad(size: int, k: int, stride: int, dilation: int = 1) -> tuple[int, int]:
    """TF 'SAME' padding for one spatial axis: (before, after); the odd pixel goes after."""
    out = (size + stride - 1) // stride
    eff = (k - 1) * dilation + 1
    total = max((out - 1) * stride + eff - size, 0)
    return total // 2, total - total // 2


# ---------------------------------------------------------------------------------------------------------------
# The module


class TfjsGraphModule(torch.nn.Module):
    """Runs a TF.js graph: forward(x NCHW float32) -> tuple of outputs in their original (TF) layout."""

    def __init__(self, model_json: dict, weights: dict[str, torch.Tensor], input_shape: list[int],
                 output_nodes: list[str], model_name: str = "model", variable_batch: bool = False):
        super().__init__()
        self.model_name = model_name
        self.variable_batch = variable_batch
        topo = model_json["modelTopology"]
        if topo.get("library", {}).get("function"):
            raise UnsupportedOp(f"{model_name}: graphs with control flow functions are not supported")
        self._nodes = {n["name"]: n for n in topo["node"]}
        self._output_refs = [_split_ref(o) for o in output_nodes]
        for name, _ in self._output_refs:
            if name not in self._nodes:
                raise ValueError(f"{model_name}: output node '{name}' is not in the graph")
        placeholders = [n["name"] for n in topo["node"] if n["op"] == "Placeholder"]
        if len(placeholders) != 1:
            raise UnsupportedOp(f"{model_name}: exactly one input (Placeholder) is supported, found {placeholders}")
        self._input_name = placeholders[0]

        order = self._topological_order()
        unsupported = sorted({self._nodes[n]["op"] for n in order
                              if self._nodes[n]["op"] not in ("Const", "Placeholder")
                              and not hasattr(self, "_op_" + self._nodes[n]["op"])})
        if unsupported:
            raise UnsupportedOp(f"{model_name}: unsupported TF.js op(s) {', '.join(unsupported)}")

        # constants and folding of constant sub-graphs
        self._prep: dict = {}
        self._buffer_of: dict[int, str] = {}
        self._folding = True
        self._consts: dict[tuple[str, int], V] = {}
        for name in order:
            node = self._nodes[name]
            if node["op"] == "Const":
                if name not in weights:
                    raise RuntimeError(f"{model_name}: constant '{name}' has no weights in the manifest")
                self._consts[(name, 0)] = V(weights[name], const=True)
        self._dynamic: list[str] = []
        for name in order:
            node = self._nodes[name]
            if node["op"] in ("Const", "Placeholder"):
                continue
            refs = self._data_inputs(node)
            if all(r in self._consts for r in refs):
                outs = self._run(node, [self._consts[r] for r in refs])
                for i, v in enumerate(outs):
                    self._consts[(name, i)] = V(v.t.detach(), const=True)
            else:
                self._dynamic.append(name)
        self._folding = False
        # drop constants only folding needed; keep those the dynamic nodes and outputs read
        needed = {r for n in self._dynamic for r in self._data_inputs(self._nodes[n])} | set(self._output_refs)
        self._consts = {k: v for k, v in self._consts.items() if k in needed}

        # one eager run registers the prepared (re-laid-out) weights as buffers; tracing then only reads them
        with torch.no_grad():
            self.forward(torch.zeros(input_shape, dtype=torch.float32))
        self._frozen = True

    _frozen = False

    # graph walking -----------------------------------------------------------------------------------------------
    @staticmethod
    def _data_inputs(node: dict) -> list[tuple[str, int]]:
        return [_split_ref(i) for i in node.get("input", []) if not i.startswith("^")]

    def _topological_order(self) -> list[str]:
        order: list[str] = []
        state: dict[str, int] = {}
        for root, _ in self._output_refs:
            stack = [(root, False)]
            while stack:
                name, done = stack.pop()
                if done:
                    if state.get(name) != 2:
                        state[name] = 2
                        order.append(name)
                    continue
                if state.get(name):
                    continue
                state[name] = 1
                stack.append((name, True))
                node = self._nodes.get(name)
                if node is None:
                    raise ValueError(f"{self.model_name}: graph refers to missing node '{name}'")
                for ref, _ in self._data_inputs(node):
                    if not state.get(ref):
                        stack.append((ref, False))
        return order

    def _run(self, node: dict, ins: list[V]) -> list[V]:
        fn = getattr(self, "_op_" + node["op"])
        try:
            out = fn(node, ins)
        except UnsupportedOp as e:
            raise UnsupportedOp(f"{self.model_name}: node '{node['name']}' ({node['op']}): {e}") from None
        return out if isinstance(out, list) else [out]

    def forward(self, x: torch.Tensor):
        env: dict[tuple[str, int], V] = dict(self._consts)
        env[(self._input_name, 0)] = V(x, nchw=x.dim() == 4)
        for name in self._dynamic:
            node = self._nodes[name]
            outs = self._run(node, [env[r] for r in self._data_inputs(node)])
            for i, v in enumerate(outs):
                env[(name, i)] = v
        result = []
        for ref in self._output_refs:
            v = env[ref]
            t = self._plain(v)
            if t.dtype != torch.float32:
                t = t.to(torch.float32)
            result.append(t.contiguous())
        return tuple(result)

    # helpers -----------------------------------------------------------------------------------------------------
    def _cached(self, key, build: Callable[[], torch.Tensor]) -> torch.Tensor:
        """A prepared constant (re-laid-out weights): a buffer of the module, built once."""
        if self._folding:
            return build()
        name = self._prep.get(key)
        if name is None:
            if self._frozen:
                raise RuntimeError(f"{self.model_name}: constant {key} was not prepared before tracing")
            t = build().contiguous()
            name = self._buffer_of.get(id(t))  # one buffer per tensor: TorchScript refuses shared buffers
            if name is None:
                name = "c%d_%s" % (len(self._buffer_of), re.sub(r"[^0-9A-Za-z_]", "_", str(key[0]))[-40:])
                self.register_buffer(name, t)
                self._buffer_of[id(t)] = name
            self._prep[key] = name
        return getattr(self, name)

    def _tensor(self, node: dict, slot: int, v: V) -> torch.Tensor:
        """The value as a tensor, constants as buffers."""
        if v.const:
            return self._cached((node["name"], slot, "plain"), lambda: v.t)
        return v.t

    @staticmethod
    def _plain_of(v: V) -> torch.Tensor:
        return v.t.permute(0, 2, 3, 1) if v.nchw else v.t

    def _plain(self, v: V) -> torch.Tensor:
        return self._plain_of(v)

    def _nchw(self, v: V) -> torch.Tensor:
        if v.nchw:
            return v.t
        if v.t.dim() != 4:
            raise UnsupportedOp(f"expected a 4-D NHWC tensor, got shape {list(v.t.shape)}")
        return v.t.permute(0, 3, 1, 2)

    def _scalar_const(self, v: V, what: str):
        if not v.const:
            raise UnsupportedOp(f"{what} must be a constant")
        return v.t

    def _const_list(self, v: V, what: str) -> list[int]:
        return [int(i) for i in self._scalar_const(v, what).reshape(-1).tolist()]

    def _operand_nchw(self, node: dict, slot: int, v: V) -> torch.Tensor:
        """An operand of an elementwise op whose other side is an NCHW activation: broadcast as NHWC, then permute."""
        if v.nchw:
            return v.t
        t = v.t
        if t.dim() == 0:
            return self._tensor(node, slot, v)
        if t.dim() > 4:
            raise UnsupportedOp(f"cannot broadcast a rank-{t.dim()} tensor against a 4-D activation")

        def build(t=t):
            return t.reshape([1] * (4 - t.dim()) + list(t.shape)).permute(0, 3, 1, 2)
        if v.const:
            return self._cached((node["name"], slot, "nchw"), build)
        return build()

    def _binary(self, node: dict, ins: list[V], fn) -> V:
        a, b = ins
        if a.const and b.const:
            return V(fn(a.t, b.t), const=True)
        if (a.nchw or b.nchw) and max(a.t.dim(), b.t.dim()) <= 4:
            return V(fn(self._operand_nchw(node, 0, a), self._operand_nchw(node, 1, b)), nchw=True)
        return V(fn(self._plain_or_const(node, 0, a), self._plain_or_const(node, 1, b)))

    def _plain_or_const(self, node, slot, v: V) -> torch.Tensor:
        return self._tensor(node, slot, v) if v.const else self._plain(v)

    def _unary(self, ins: list[V], fn) -> V:
        v = ins[0]
        return V(fn(v.t), const=v.const, nchw=v.nchw)

    @staticmethod
    def _axes_keep_order(removed: set[int]) -> bool:
        """Whether dropping these logical NHWC axes from an NCHW tensor leaves the rest in logical order."""
        rest = [d for d in range(4) if d not in removed]
        return rest == sorted(rest, key=lambda d: _NHWC_TO_PHYS[d])

    # activations -------------------------------------------------------------------------------------------------
    def _activation(self, node: dict, kind: str, t: torch.Tensor, extra: list[V], slot: int) -> torch.Tensor:
        if kind == "Relu":
            return torch.relu(t)
        if kind == "Relu6":
            return torch.clamp(t, 0.0, 6.0)
        if kind == "Elu":
            return F.elu(t)
        if kind == "Sigmoid":
            return torch.sigmoid(t)
        if kind == "LeakyRelu":
            return F.leaky_relu(t, float(_attr(node, "leakyrelu_alpha", 0.2)))
        if kind == "Prelu":
            if not extra:
                raise UnsupportedOp("Prelu without its alpha argument")
            alpha = extra[0]
            a = self._cached((node["name"], slot, "prelu"), lambda: alpha.t.reshape(-1))
            if a.numel() == t.shape[1] or a.numel() == 1:
                return F.prelu(t, a)
            raise UnsupportedOp(f"Prelu alpha of shape {list(alpha.t.shape)}")
        raise UnsupportedOp(f"fused activation {kind}")

    # convolutions ------------------------------------------------------------------------------------------------
    def _pad_for(self, node: dict, x: torch.Tensor, kh: int, kw: int, sh: int, sw: int, dh: int, dw: int):
        padding = _attr(node, "padding", "VALID")
        if padding == "VALID":
            return (0, 0, 0, 0)
        if padding == "SAME":
            top, bottom = _same_pad(int(x.shape[2]), kh, sh, dh)
            left, right = _same_pad(int(x.shape[3]), kw, sw, dw)
            return (left, right, top, bottom)
        if padding == "EXPLICIT":
            p = _attr(node, "explicit_paddings", [])
            return (p[4], p[5], p[2], p[3])  # NHWC pairs
        raise UnsupportedOp(f"padding {padding}")

    def _conv(self, node: dict, ins: list[V], depthwise: bool) -> V:
        if _attr(node, "data_format", "NHWC") != "NHWC":
            raise UnsupportedOp("only NHWC data_format is supported")
        x = self._nchw(ins[0])
        w = ins[1]
        if not w.const:
            raise UnsupportedOp("filter must be a constant")
        kh, kw, cin, cout = (int(d) for d in w.t.shape)
        strides = _attr(node, "strides", [1, 1, 1, 1])
        dil = _attr(node, "dilations", [1, 1, 1, 1]) or [1, 1, 1, 1]
        sh, sw, dh, dw = strides[1], strides[2], dil[1], dil[2]
        if depthwise:
            weight = self._cached((node["name"], 1, "dw"),
                                  lambda: w.t.reshape(kh, kw, cin * cout).permute(2, 0, 1).unsqueeze(1))
            groups = cin
        else:
            weight = self._cached((node["name"], 1, "conv"), lambda: w.t.permute(3, 2, 0, 1))
            groups = 1
            if int(x.shape[1]) != cin:
                groups = int(x.shape[1]) // cin  # grouped convolution
        fused = _attr(node, "fused_ops", []) or []
        args = ins[2:]
        bias = None
        rest = fused
        if fused and fused[0] == "BiasAdd":
            b = args[0]
            if not b.const:
                raise UnsupportedOp("bias must be a constant")
            bias = self._cached((node["name"], 2, "bias"), lambda: b.t.reshape(-1))
            args = args[1:]
            rest = fused[1:]
        elif fused and fused[0] != "BiasAdd":
            raise UnsupportedOp(f"fused ops {fused}")
        left, right, top, bottom = self._pad_for(node, x, kh, kw, sh, sw, dh, dw)
        if left == right and top == bottom:
            y = F.conv2d(x, weight, bias, (sh, sw), (top, left), (dh, dw), groups)
        else:
            y = F.conv2d(F.pad(x, (left, right, top, bottom)), weight, bias, (sh, sw), 0, (dh, dw), groups)
        for k in rest:
            y = self._activation(node, k, y, args, 3)
        return V(y, nchw=True)

    def _op_Conv2D(self, node, ins):
        return self._conv(node, ins, depthwise=False)

    def _op__FusedConv2D(self, node, ins):
        return self._conv(node, ins, depthwise=False)

    def _op_DepthwiseConv2dNative(self, node, ins):
        return self._conv(node, ins, depthwise=True)

    def _op_FusedDepthwiseConv2dNative(self, node, ins):
        return self._conv(node, ins, depthwise=True)

    def _op_DepthwiseConv2d(self, node, ins):
        return self._conv(node, ins, depthwise=True)

    def _matmul(self, node, ins) -> V:
        a, b = ins[0], ins[1]
        ta, tb = _attr(node, "transpose_a", False), _attr(node, "transpose_b", False)
        x = self._plain(a)
        if ta:
            x = x.transpose(-1, -2)
        fused = _attr(node, "fused_ops", []) or []
        args = ins[2:]
        bias = None
        if fused and fused[0] == "BiasAdd":
            bb = args[0]
            bias = self._cached((node["name"], 2, "bias"), lambda: bb.t.reshape(-1)) if bb.const else bb.t
            args, fused = args[1:], fused[1:]
        if b.const:
            weight = self._cached((node["name"], 1, "linear"), lambda: b.t if tb else b.t.t())
            y = F.linear(x, weight, bias)
        else:
            y = torch.matmul(x, self._plain(b).transpose(-1, -2) if tb else self._plain(b))
            if bias is not None:
                y = y + bias
        for k in fused:
            y = self._activation(node, k, y, args, 3)
        return V(y)

    def _op_MatMul(self, node, ins):
        return self._matmul(node, ins)

    def _op__FusedMatMul(self, node, ins):
        return self._matmul(node, ins)

    # pooling -----------------------------------------------------------------------------------------------------
    def _pool(self, node, ins, kind: str) -> V:
        x = self._nchw(ins[0])
        k = _attr(node, "ksize")
        s = _attr(node, "strides")
        kh, kw, sh, sw = k[1], k[2], s[1], s[2]
        left, right, top, bottom = self._pad_for(node, x, kh, kw, sh, sw, 1, 1)
        pads = (left, right, top, bottom)
        if kind == "max":
            if left == right and top == bottom and 2 * left <= kw and 2 * top <= kh:
                return V(F.max_pool2d(x, (kh, kw), (sh, sw), (top, left)), nchw=True)  # torch pads with -inf
            x = F.pad(x, pads, value=-math.inf)
            return V(F.max_pool2d(x, (kh, kw), (sh, sw)), nchw=True)
        if not any(pads):
            return V(F.avg_pool2d(x, (kh, kw), (sh, sw)), nchw=True)
        # TF averages over the real pixels only
        total = F.avg_pool2d(F.pad(x, pads), (kh, kw), (sh, sw), divisor_override=1)
        ones = torch.ones((1, 1, int(x.shape[2]), int(x.shape[3])), dtype=x.dtype)
        count = self._cached((node["name"], 0, "count"),
                             lambda: F.avg_pool2d(F.pad(ones, pads), (kh, kw), (sh, sw), divisor_override=1))
        return V(total / count, nchw=True)

    def _op_MaxPool(self, node, ins):
        return self._pool(node, ins, "max")

    def _op_AvgPool(self, node, ins):
        return self._pool(node, ins, "avg")

    # elementwise -------------------------------------------------------------------------------------------------
    def _op_Add(self, node, ins):
        return self._binary(node, ins, torch.add)

    _op_AddV2 = _op_Add

    def _op_BiasAdd(self, node, ins):
        return self._binary(node, ins, torch.add)

    def _op_Sub(self, node, ins):
        return self._binary(node, ins, torch.sub)

    def _op_Mul(self, node, ins):
        return self._binary(node, ins, torch.mul)

    def _op_RealDiv(self, node, ins):
        return self._binary(node, ins, torch.div)

    _op_Div = _op_RealDiv

    def _op_Maximum(self, node, ins):
        return self._binary(node, ins, torch.maximum)

    def _op_Minimum(self, node, ins):
        return self._binary(node, ins, torch.minimum)

    def _op_SquaredDifference(self, node, ins):
        return self._binary(node, ins, lambda a, b: (a - b) * (a - b))

    def _op_FloorDiv(self, node, ins):
        return self._binary(node, ins, lambda a, b: torch.div(a, b, rounding_mode="floor"))

    def _op_FloorMod(self, node, ins):
        return self._binary(node, ins, torch.remainder)

    def _op_Equal(self, node, ins):
        return self._binary(node, ins, torch.eq)

    def _op_NotEqual(self, node, ins):
        return self._binary(node, ins, torch.ne)

    def _op_Greater(self, node, ins):
        return self._binary(node, ins, torch.gt)

    def _op_GreaterEqual(self, node, ins):
        return self._binary(node, ins, torch.ge)

    def _op_Less(self, node, ins):
        return self._binary(node, ins, torch.lt)

    def _op_LessEqual(self, node, ins):
        return self._binary(node, ins, torch.le)

    def _op_Relu(self, node, ins):
        return self._unary(ins, torch.relu)

    def _op_Relu6(self, node, ins):
        return self._unary(ins, lambda t: torch.clamp(t, 0.0, 6.0))

    def _op_Elu(self, node, ins):
        return self._unary(ins, F.elu)

    def _op_LeakyRelu(self, node, ins):
        alpha = float(_attr(node, "alpha", 0.2))
        return self._unary(ins, lambda t: F.leaky_relu(t, alpha))

    def _op_Sigmoid(self, node, ins):
        return self._unary(ins, torch.sigmoid)

    def _op_Tanh(self, node, ins):
        return self._unary(ins, torch.tanh)

    def _op_Abs(self, node, ins):
        return self._unary(ins, torch.abs)

    def _op_Neg(self, node, ins):
        return self._unary(ins, torch.neg)

    def _op_Exp(self, node, ins):
        return self._unary(ins, torch.exp)

    def _op_Log(self, node, ins):
        return self._unary(ins, torch.log)

    def _op_Sqrt(self, node, ins):
        return self._unary(ins, torch.sqrt)

    def _op_Rsqrt(self, node, ins):
        return self._unary(ins, torch.rsqrt)

    def _op_Square(self, node, ins):
        return self._unary(ins, lambda t: t * t)

    def _op_Identity(self, node, ins):
        return ins[0]

    def _op_Prelu(self, node, ins):
        x, alpha = ins
        if x.nchw:
            return V(self._activation(node, "Prelu", x.t, [alpha], 1), nchw=True)
        a = self._tensor(node, 1, alpha) if alpha.const else self._plain(alpha)
        t = self._plain(x)
        return V(torch.where(t < 0, t * a, t))

    def _op_Cast(self, node, ins):
        dst = _attr(node, "DstT", "DT_FLOAT")
        dtype = {"DT_FLOAT": torch.float32, "DT_INT32": torch.int64, "DT_INT64": torch.int64,
                 "DT_BOOL": torch.bool}.get(dst)
        if dtype is None:
            raise UnsupportedOp(f"Cast to {dst}")
        return self._unary(ins, lambda t: t.to(dtype))

    # reductions and softmax --------------------------------------------------------------------------------------
    def _reduce(self, node, ins, fn) -> V:
        x, axes_v = ins
        axes = self._const_list(axes_v, "reduction axes")
        keep = bool(_attr(node, "keep_dims", False))
        rank = x.t.dim()
        axes = sorted({a % rank for a in axes})
        if x.nchw and (keep or self._axes_keep_order(set(axes))):
            y = fn(x.t, [_NHWC_TO_PHYS[a] for a in axes], keep)
            return V(y, const=x.const, nchw=keep)
        t = self._plain_or_const(node, 0, x)
        return V(fn(t, axes, keep), const=x.const)

    def _op_Mean(self, node, ins):
        return self._reduce(node, ins, lambda t, a, k: torch.mean(t, dim=a, keepdim=k))

    def _op_Sum(self, node, ins):
        return self._reduce(node, ins, lambda t, a, k: torch.sum(t, dim=a, keepdim=k))

    def _op_Max(self, node, ins):
        return self._reduce(node, ins, lambda t, a, k: torch.amax(t, dim=a, keepdim=k))

    def _op_Min(self, node, ins):
        return self._reduce(node, ins, lambda t, a, k: torch.amin(t, dim=a, keepdim=k))

    def _op_Softmax(self, node, ins):
        x = ins[0]
        if x.nchw:
            return V(torch.softmax(x.t, dim=1), nchw=True)
        return V(torch.softmax(x.t, dim=-1), const=x.const)

    # shapes ------------------------------------------------------------------------------------------------------
    def _op_Reshape(self, node, ins):
        x, shape_v = ins
        shape = self._const_list(shape_v, "Reshape shape")
        t = self._plain_or_const(node, 0, x)
        if self.variable_batch and not x.const and len(shape) >= 1 and shape[0] in (1, -1) and t.dim() >= 1:
            shape = [t.shape[0]] + shape[1:]  # keep the batch dimension variable (traced as size(0))
        return V(t.reshape(shape), const=x.const)

    def _op_Squeeze(self, node, ins):
        x = ins[0]
        dims = _attr(node, "squeeze_dims", []) or []
        shape = list(self._plain(x).shape) if x.nchw else list(x.t.shape)
        rank = len(shape)
        dims = sorted({d % rank for d in dims}) if dims else [i for i, s in enumerate(shape) if s == 1]
        if x.nchw and self._axes_keep_order(set(dims)):
            return V(self._squeeze(x.t, [_NHWC_TO_PHYS[d] for d in dims]))
        t = self._plain_or_const(node, 0, x)
        return V(self._squeeze(t, dims), const=x.const)

    @staticmethod
    def _squeeze(t: torch.Tensor, dims: list[int]) -> torch.Tensor:
        for d in sorted(dims, reverse=True):
            t = t.squeeze(d)
        return t

    def _op_ExpandDims(self, node, ins):
        x, dim_v = ins
        d = self._const_list(dim_v, "ExpandDims axis")[0]
        t = self._plain_or_const(node, 0, x)
        if d < 0:
            d += t.dim() + 1
        return V(t.unsqueeze(d), const=x.const)

    def _op_Transpose(self, node, ins):
        x, perm_v = ins
        perm = self._const_list(perm_v, "Transpose perm")
        return V(self._plain_or_const(node, 0, x).permute(perm), const=x.const)

    def _op_ConcatV2(self, node, ins):
        values, axis_v = ins[:-1], ins[-1]
        axis = self._const_list(axis_v, "ConcatV2 axis")[0]
        if all(v.const for v in values):
            return V(torch.cat([v.t for v in values], dim=axis), const=True)
        rank = max(v.t.dim() for v in values)
        axis %= rank
        if rank == 4 and all(v.nchw or v.t.dim() == 4 for v in values) and any(v.nchw for v in values):
            parts = [self._operand_nchw(node, i, v) if v.const else self._nchw(v) for i, v in enumerate(values)]
            return V(torch.cat(parts, dim=_NHWC_TO_PHYS[axis]), nchw=True)
        parts = [self._plain_or_const(node, i, v) for i, v in enumerate(values)]
        return V(torch.cat(parts, dim=axis))

    def _op_Pack(self, node, ins):
        axis = int(_attr(node, "axis", 0))
        if all(v.const for v in ins):
            return V(torch.stack([v.t for v in ins], dim=axis), const=True)
        return V(torch.stack([self._plain_or_const(node, i, v) for i, v in enumerate(ins)], dim=axis))

    def _op_Pad(self, node, ins):
        x, pad_v = ins[0], ins[1]
        value = float(ins[2].t) if len(ins) > 2 else 0.0
        pads = self._scalar_const(pad_v, "paddings").reshape(-1, 2).tolist()
        if x.nchw:
            pads = [pads[0], pads[3], pads[1], pads[2]]
            t = x.t
        else:
            t = self._plain_or_const(node, 0, x)
        flat = []
        for before, after in reversed(pads):
            flat += [int(before), int(after)]
        return V(F.pad(t, flat, value=value), const=x.const, nchw=x.nchw)

    _op_PadV2 = _op_Pad

    def _op_StridedSlice(self, node, ins):
        x, b_v, e_v, s_v = ins
        begin = self._const_list(b_v, "StridedSlice begin")
        end = self._const_list(e_v, "StridedSlice end")
        strides = self._const_list(s_v, "StridedSlice strides")
        bm, em = _attr(node, "begin_mask", 0) or 0, _attr(node, "end_mask", 0) or 0
        sm, nm = _attr(node, "shrink_axis_mask", 0) or 0, _attr(node, "new_axis_mask", 0) or 0
        if _attr(node, "ellipsis_mask", 0):
            raise UnsupportedOp("StridedSlice with ellipsis_mask")
        index = []
        for i in range(len(begin)):
            if nm & (1 << i):
                index.append(None)
            elif sm & (1 << i):
                index.append(begin[i])
            else:
                if strides[i] <= 0:
                    raise UnsupportedOp("StridedSlice with a negative stride")
                index.append(slice(None if bm & (1 << i) else begin[i], None if em & (1 << i) else end[i], strides[i]))
        t = self._plain_or_const(node, 0, x)
        return V(t[tuple(index)], const=x.const)

    def _op_Slice(self, node, ins):
        x, b_v, s_v = ins
        begin = self._const_list(b_v, "Slice begin")
        size = self._const_list(s_v, "Slice size")
        t = self._plain_or_const(node, 0, x)
        index = tuple(slice(b, None if s == -1 else b + s) for b, s in zip(begin, size))
        return V(t[index], const=x.const)

    def _op_GatherV2(self, node, ins):
        p, idx, axis_v = ins
        if (_attr(node, "batch_dims", 0) or 0) != 0:
            raise UnsupportedOp("GatherV2 with batch_dims")
        axis = self._const_list(axis_v, "GatherV2 axis")[0]
        t = self._plain_or_const(node, 0, p)
        axis %= t.dim()
        i = self._plain_or_const(node, 1, idx).to(torch.int64)
        y = torch.index_select(t, axis, i.reshape(-1))
        return V(y.reshape(list(t.shape[:axis]) + list(i.shape) + list(t.shape[axis + 1:])), const=p.const and idx.const)

    def _op_TopKV2(self, node, ins):
        x, k_v = ins
        k = self._const_list(k_v, "TopKV2 k")[0]
        t = self._plain(x)
        values, indices = torch.topk(t, k, dim=-1, largest=True, sorted=True)
        # tfjs orders equal values by the lower index: re-sort the k winners stably (index order, then value)
        order = torch.argsort(indices, dim=-1)
        values, indices = torch.gather(values, -1, order), torch.gather(indices, -1, order)
        order = torch.sort(values, dim=-1, descending=True, stable=True)[1]
        return [V(torch.gather(values, -1, order)), V(torch.gather(indices, -1, order))]

    # resizing ----------------------------------------------------------------------------------------------------
    @staticmethod
    def _resize_coords(n_in: int, n_out: int, align: bool, half: bool, nearest: bool):
        eff_in = n_in - 1 if align and n_out > 1 else n_in
        eff_out = n_out - 1 if align and n_out > 1 else n_out
        ratio = eff_in / eff_out
        if nearest:
            idx = []
            for r in range(n_out):
                src = ratio * (r + 0.5) if half else ratio * r
                j = min(n_in - 1, (math.floor(src + 0.5) if align else math.floor(src)))
                idx.append(max(0, j) if half else j)
            return torch.tensor(idx, dtype=torch.int64)
        lo, hi, frac = [], [], []
        for r in range(n_out):
            src = ratio * (r + 0.5) - 0.5 if half else ratio * r
            f = max(0, math.floor(src))
            lo.append(f)
            hi.append(min(n_in - 1, math.ceil(src)))
            frac.append(src - f)
        return (torch.tensor(lo, dtype=torch.int64), torch.tensor(hi, dtype=torch.int64),
                torch.tensor(frac, dtype=torch.float32))

    def _resize(self, node, ins, nearest: bool) -> V:
        x = self._nchw(ins[0])
        size = self._const_list(ins[1], "resize size")
        align, half = bool(_attr(node, "align_corners", False)), bool(_attr(node, "half_pixel_centers", False))
        h_in, w_in = int(x.shape[2]), int(x.shape[3])
        h_out, w_out = size
        name = node["name"]
        if nearest:
            ry = self._cached((name, 0, "ry"), lambda: self._resize_coords(h_in, h_out, align, half, True))
            rx = self._cached((name, 0, "rx"), lambda: self._resize_coords(w_in, w_out, align, half, True))
            return V(x.index_select(2, ry).index_select(3, rx), nchw=True)
        cy = self._resize_coords(h_in, h_out, align, half, False)
        cx = self._resize_coords(w_in, w_out, align, half, False)
        y0 = self._cached((name, 0, "y0"), lambda: cy[0])
        y1 = self._cached((name, 0, "y1"), lambda: cy[1])
        fy = self._cached((name, 0, "fy"), lambda: cy[2].reshape(-1, 1))
        x0 = self._cached((name, 0, "x0"), lambda: cx[0])
        x1 = self._cached((name, 0, "x1"), lambda: cx[1])
        fx = self._cached((name, 0, "fx"), lambda: cx[2])
        top_rows, bottom_rows = x.index_select(2, y0), x.index_select(2, y1)
        tl, tr = top_rows.index_select(3, x0), top_rows.index_select(3, x1)
        bl, br = bottom_rows.index_select(3, x0), bottom_rows.index_select(3, x1)
        top = tl + (tr - tl) * fx
        bottom = bl + (br - bl) * fx
        return V(top + (bottom - top) * fy, nchw=True)

    def _op_ResizeBilinear(self, node, ins):
        return self._resize(node, ins, nearest=False)

    def _op_ResizeNearestNeighbor(self, node, ins):
        return self._resize(node, ins, nearest=True)


# ---------------------------------------------------------------------------------------------------------------
# convert.py entry point


def build_module(manifest: dict, package_dir: pathlib.Path) -> TfjsGraphModule:
    files = manifest["source"]["files"]
    model_path = package_dir / files[0]
    model_json = read_model_json(model_path)
    weights = decode_weights(model_json["weightsManifest"], model_path.parent)
    output_nodes = []
    for out in manifest["outputs"]:
        if "tfjs_node" not in out:
            raise ValueError(f"{manifest['name']}: output '{out['name']}' has no tfjs_node")
        output_nodes.append(out["tfjs_node"])
    fixed = bool(manifest["input"].get("fixed_batch", False))
    module = TfjsGraphModule(model_json, weights, list(manifest["input"]["shape"]), output_nodes,
                             model_name=manifest["name"], variable_batch=not fixed)
    return module.eval()


def trace(module: TfjsGraphModule, example: torch.Tensor) -> torch.jit.ScriptModule:
    with torch.no_grad(), warnings.catch_warnings():
        # shapes read while tracing (kernel sizes, padding) are meant to become constants
        warnings.simplefilter("ignore", torch.jit.TracerWarning)
        traced = torch.jit.trace(module, (example,), check_trace=False)
    return traced


def convert(manifest: dict, package_dir: pathlib.Path, out_path: pathlib.Path) -> None:
    """Build the interpreter module for this manifest's TF.js graph, trace it and save TorchScript to out_path."""
    module = build_module(manifest, pathlib.Path(package_dir))
    example = torch.zeros(manifest["input"]["shape"], dtype=torch.float32)
    traced = trace(module, example)
    torch.jit.save(traced, str(out_path))
