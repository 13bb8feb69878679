"""Tests of the TF.js graph interpreter on tiny hand-made graphs with numbers worked out by hand (TF semantics),
of weight decoding, of the reference pattern and of the parity check.

    /usr/bin/python3 -m unittest discover -s models/tests      (from the repository root)
"""
import base64
import io
import json
import math
import pathlib
import sys
import tempfile
import unittest

import numpy as np
import torch

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from converters import reference, tfjs_graph  # noqa: E402


def _s(text):
    return {"s": base64.b64encode(text.encode()).decode()}


def _ints(values):
    return {"list": {"i": [str(v) for v in values]}}


def const(name):
    return {"name": name, "op": "Const", "attr": {}}


def graph(nodes, weights, input_shape_nchw, outputs, variable_batch=False):
    """A TfjsGraphModule for nodes after a Placeholder named 'x'."""
    model_json = {"modelTopology": {"node": [{"name": "x", "op": "Placeholder", "attr": {}}] + nodes}}
    w = {k: torch.as_tensor(v) for k, v in weights.items()}
    return tfjs_graph.TfjsGraphModule(model_json, w, input_shape_nchw, outputs, "test", variable_batch)


def nhwc_to_nchw(a):
    return torch.as_tensor(np.asarray(a, dtype=np.float32)).permute(0, 3, 1, 2).contiguous()


def run(module, x_nhwc):
    with torch.no_grad():
        return [t.numpy() for t in module(nhwc_to_nchw(x_nhwc))]


def grid(h, w, start=1.0):
    """[1, h, w, 1] with values start, start+1, ... row-major."""
    return (np.arange(h * w, dtype=np.float32) + start).reshape(1, h, w, 1)


class ConvTest(unittest.TestCase):
    def conv(self, padding, strides, x, k=3):
        nodes = [const("w"), {"name": "y", "op": "Conv2D", "input": ["x", "w"],
                              "attr": {"padding": _s(padding), "strides": _ints([1, strides, strides, 1]),
                                       "data_format": _s("NHWC")}}]
        m = graph(nodes, {"w": np.ones((k, k, 1, 1), np.float32)}, list(nhwc_to_nchw(x).shape), ["y"])
        return run(m, x)[0]

    def test_same_padding_stride_2_is_asymmetric(self):
        # 4x4 input, 3x3 ones, stride 2, SAME: TF pads 0 before and 1 after (not 1 on both sides)
        y = self.conv("SAME", 2, grid(4, 4))
        np.testing.assert_allclose(y[0, :, :, 0], [[54, 45], [72, 54]])

    def test_same_padding_stride_1_odd_input(self):
        y = self.conv("SAME", 1, grid(3, 3))
        np.testing.assert_allclose(y[0, :, :, 0], [[12, 21, 16], [27, 45, 33], [24, 39, 28]])

    def test_valid_padding(self):
        y = self.conv("VALID", 1, grid(4, 4))
        np.testing.assert_allclose(y[0, :, :, 0], [[54, 63], [90, 99]])

    def test_fused_conv_bias_relu6_and_prelu(self):
        x = np.array([[[[1.0, -2.0]]]], np.float32)  # 1x1x1x2
        w = np.array([[[[1.0, 0.0, 2.0], [0.0, 1.0, 10.0]]]], np.float32)  # HWIO 1x1x2x3
        nodes = [const("w"), const("b"), const("a"),
                 {"name": "relu6", "op": "_FusedConv2D", "input": ["x", "w", "b"],
                  "attr": {"padding": _s("VALID"), "strides": _ints([1, 1, 1, 1]),
                           "fused_ops": {"list": {"s": [base64.b64encode(b"BiasAdd").decode(),
                                                        base64.b64encode(b"Relu6").decode()]}}}},
                 {"name": "prelu", "op": "_FusedConv2D", "input": ["x", "w", "b", "a"],
                  "attr": {"padding": _s("VALID"), "strides": _ints([1, 1, 1, 1]),
                           "fused_ops": {"list": {"s": [base64.b64encode(b"BiasAdd").decode(),
                                                        base64.b64encode(b"Prelu").decode()]}}}}]
        m = graph(nodes, {"w": w, "b": np.array([0.5, 0.5, 0.5], np.float32), "a": np.array([0.1, 0.2, 0.3], np.float32)},
                  [1, 2, 1, 1], ["relu6", "prelu"])
        relu6, prelu = run(m, x)
        # pre-activation: [1.5, -1.5, 2 - 20 + 0.5 = -17.5]
        np.testing.assert_allclose(relu6[0, 0, 0], [1.5, 0.0, 0.0])
        np.testing.assert_allclose(prelu[0, 0, 0], [1.5, -0.3, -5.25], rtol=1e-6)

    def test_depthwise_channel_multiplier_order(self):
        # TF depthwise output channel = c * multiplier + m
        x = np.array([[[[2.0, 3.0]]]], np.float32)
        f = np.array([[[[1.0, 10.0], [100.0, 1000.0]]]], np.float32)  # H W C M = 1 1 2 2
        nodes = [const("f"), {"name": "y", "op": "DepthwiseConv2dNative", "input": ["x", "f"],
                              "attr": {"padding": _s("SAME"), "strides": _ints([1, 1, 1, 1])}}]
        m = graph(nodes, {"f": f}, [1, 2, 1, 1], ["y"])
        np.testing.assert_allclose(run(m, x)[0][0, 0, 0], [2.0, 20.0, 300.0, 3000.0])

    def test_depthwise_same_stride_2(self):
        x = np.concatenate([grid(4, 4), 10 * grid(4, 4)], axis=3)
        nodes = [const("f"), {"name": "y", "op": "DepthwiseConv2dNative", "input": ["x", "f"],
                              "attr": {"padding": _s("SAME"), "strides": _ints([1, 2, 2, 1])}}]
        m = graph(nodes, {"f": np.ones((3, 3, 2, 1), np.float32)}, [1, 2, 4, 4], ["y"])
        y = run(m, x)[0]
        np.testing.assert_allclose(y[0, :, :, 0], [[54, 45], [72, 54]])
        np.testing.assert_allclose(y[0, :, :, 1], [[540, 450], [720, 540]])


class PoolTest(unittest.TestCase):
    def pool(self, op, x, k, s, padding):
        nodes = [{"name": "y", "op": op, "input": ["x"],
                  "attr": {"padding": _s(padding), "strides": _ints([1, s, s, 1]), "ksize": _ints([1, k, k, 1])}}]
        m = graph(nodes, {}, list(nhwc_to_nchw(x).shape), ["y"])
        return run(m, x)[0][0, :, :, 0]

    def test_avgpool_same_counts_only_real_pixels(self):
        y = self.pool("AvgPool", grid(3, 3), 2, 1, "SAME")
        np.testing.assert_allclose(y, [[3, 4, 4.5], [6, 7, 7.5], [7.5, 8.5, 9]])

    def test_maxpool_same_pads_with_minus_infinity(self):
        y = self.pool("MaxPool", -grid(3, 3), 2, 2, "SAME")
        np.testing.assert_allclose(y, [[-1, -3], [-7, -9]])

    def test_maxpool_same_symmetric_3x3(self):
        y = self.pool("MaxPool", -grid(3, 3), 3, 1, "SAME")
        np.testing.assert_allclose(y, [[-1, -1, -2], [-1, -1, -2], [-4, -4, -5]])


class ResizeTest(unittest.TestCase):
    def resize(self, op, x, size, align, half):
        nodes = [const("size"), {"name": "y", "op": op, "input": ["x", "size"],
                                 "attr": {"align_corners": {"b": align}, "half_pixel_centers": {"b": half}}}]
        m = graph(nodes, {"size": np.array(size, np.int32)}, list(nhwc_to_nchw(x).shape), ["y"])
        return run(m, x)[0][0, :, :, 0]

    def test_bilinear_legacy_upsample_2x(self):
        # neither align_corners nor half_pixel_centers: source = dst * in/out, clamped at the far edge
        y = self.resize("ResizeBilinear", grid(2, 2, 0.0), [4, 4], False, False)
        np.testing.assert_allclose(y, [[0, 0.5, 1, 1], [1, 1.5, 2, 2], [2, 2.5, 3, 3], [2, 2.5, 3, 3]])

    def test_bilinear_align_corners(self):
        y = self.resize("ResizeBilinear", grid(2, 2, 0.0), [3, 3], True, False)
        np.testing.assert_allclose(y, [[0, 0.5, 1], [1, 1.5, 2], [2, 2.5, 3]])

    def test_bilinear_half_pixel_centers(self):
        y = self.resize("ResizeBilinear", np.array([[[[0.0], [1.0]]]], np.float32), [1, 4], False, True)
        np.testing.assert_allclose(y, [[0, 0.25, 0.75, 1]])

    def test_nearest_legacy_downsample(self):
        y = self.resize("ResizeNearestNeighbor", grid(4, 4), [2, 2], False, False)
        np.testing.assert_allclose(y, [[1, 3], [9, 11]])


class LayoutAndShapeTest(unittest.TestCase):
    def test_reshape_after_conv_flattens_in_nhwc_order(self):
        x = np.arange(12, dtype=np.float32).reshape(1, 2, 2, 3)
        eye = np.eye(3, dtype=np.float32).reshape(1, 1, 3, 3)
        nodes = [const("w"), const("shape"),
                 {"name": "c", "op": "Conv2D", "input": ["x", "w"], "attr": {"padding": _s("VALID"),
                                                                             "strides": _ints([1, 1, 1, 1])}},
                 {"name": "y", "op": "Reshape", "input": ["c", "shape"]}]
        m = graph(nodes, {"w": eye, "shape": np.array([1, -1], np.int32)}, [1, 3, 2, 2], ["y"])
        np.testing.assert_allclose(run(m, x)[0], x.reshape(1, 12))

    def test_channel_bias_broadcasts_on_channels(self):
        x = np.zeros((1, 2, 2, 3), np.float32)
        nodes = [const("b"), {"name": "y", "op": "Add", "input": ["x", "b"]},
                 const("axes"), {"name": "m", "op": "Mean", "input": ["y", "axes"], "attr": {"keep_dims": {"b": False}}}]
        m = graph(nodes, {"b": np.array([1.0, 2.0, 3.0], np.float32), "axes": np.array([1, 2], np.int32)},
                  [1, 3, 2, 2], ["y", "m"])
        y, mean = run(m, x)
        np.testing.assert_allclose(y[0, 1, 0], [1, 2, 3])
        np.testing.assert_allclose(mean, [[1, 2, 3]])

    def test_strided_slice_and_concat_on_channels(self):
        x = np.arange(8, dtype=np.float32).reshape(1, 2, 2, 2)
        nodes = [const("b"), const("e"), const("s"), const("axis"),
                 {"name": "sl", "op": "StridedSlice", "input": ["x", "b", "e", "s"],
                  "attr": {"begin_mask": {"i": "7"}, "end_mask": {"i": "7"}, "shrink_axis_mask": {"i": "0"}}},
                 {"name": "cat", "op": "ConcatV2", "input": ["x", "sl", "axis"]}]
        m = graph(nodes, {"b": np.array([0, 0, 0, 1], np.int32), "e": np.array([0, 0, 0, 2], np.int32),
                          "s": np.array([1, 1, 1, 1], np.int32), "axis": np.array(3, np.int32)}, [1, 2, 2, 2],
                  ["sl", "cat"])
        sl, cat = run(m, x)
        np.testing.assert_allclose(sl[..., 0], x[..., 1])
        np.testing.assert_allclose(cat, np.concatenate([x, x[..., 1:2]], axis=3))

    def test_topk_breaks_ties_by_lower_index(self):
        nodes = [const("shape"), const("k"), {"name": "r", "op": "Reshape", "input": ["x", "shape"]},
                 {"name": "t", "op": "TopKV2", "input": ["r", "k"]}]
        m = graph(nodes, {"shape": np.array([1, -1], np.int32), "k": np.array(3, np.int32)}, [1, 1, 1, 5],
                  ["t:0", "t:1"])
        values, indices = run(m, np.array([[[[1.0, 3.0, 2.0, 3.0, 3.0]]]], np.float32).reshape(1, 1, 5, 1))
        np.testing.assert_allclose(values, [[3, 3, 3]])
        np.testing.assert_array_equal(indices, [[1, 3, 4]])

    def test_unsupported_op_is_named(self):
        nodes = [{"name": "y", "op": "Erf", "input": ["x"]}]
        with self.assertRaisesRegex(tfjs_graph.UnsupportedOp, r"test: unsupported TF\.js op\(s\) Erf"):
            graph(nodes, {}, [1, 1, 2, 2], ["y"])

    def test_traced_file_round_trip_and_variable_batch(self):
        nodes = [const("w"), const("shape"),
                 {"name": "c", "op": "Conv2D", "input": ["x", "w"], "attr": {"padding": _s("SAME"),
                                                                             "strides": _ints([1, 2, 2, 1])}},
                 {"name": "y", "op": "Reshape", "input": ["c", "shape"]}]
        m = graph(nodes, {"w": np.ones((3, 3, 1, 2), np.float32), "shape": np.array([1, 8], np.int32)},
                  [1, 1, 4, 4], ["y"], variable_batch=True)
        traced = tfjs_graph.trace(m, torch.zeros(1, 1, 4, 4))
        buf = io.BytesIO()
        torch.jit.save(traced, buf)
        buf.seek(0)
        loaded = torch.jit.load(buf)
        x = torch.stack([nhwc_to_nchw(grid(4, 4))[0], nhwc_to_nchw(2 * grid(4, 4))[0]])
        y = loaded(x)[0]
        self.assertEqual(list(y.shape), [2, 8])
        np.testing.assert_allclose(y[0].numpy(), [54, 54, 45, 45, 72, 72, 54, 54])
        np.testing.assert_allclose(y[1].numpy(), 2 * y[0].numpy())


class WeightsTest(unittest.TestCase):
    def test_quantised_and_float16_weights(self):
        with tempfile.TemporaryDirectory() as d:
            data = bytes([0, 10, 255]) + np.array([0.5, -2.0], "<f2").tobytes() + np.array([7, -3], "<i4").tobytes()
            pathlib.Path(d, "w.bin").write_bytes(data)
            manifest = [{"paths": ["w.bin"], "weights": [
                {"name": "q", "shape": [3], "dtype": "float32", "quantization": {"dtype": "uint8", "min": -1.0, "scale": 0.1}},
                {"name": "h", "shape": [2], "dtype": "float32", "quantization": {"dtype": "float16"}},
                {"name": "i", "shape": [2], "dtype": "int32"}]}]
            w = tfjs_graph.decode_weights(manifest, pathlib.Path(d))
        np.testing.assert_allclose(w["q"].numpy(), np.float32([-1.0, 0.0, 24.5]), rtol=1e-6)
        np.testing.assert_array_equal(w["h"].numpy(), [0.5, -2.0])
        np.testing.assert_array_equal(w["i"].numpy(), [7, -3])

    def test_short_shard_is_an_error(self):
        with tempfile.TemporaryDirectory() as d:
            pathlib.Path(d, "w.bin").write_bytes(b"\0\0")
            manifest = [{"paths": ["w.bin"], "weights": [{"name": "a", "shape": [1], "dtype": "float32"}]}]
            with self.assertRaisesRegex(RuntimeError, "shards end early"):
                tfjs_graph.decode_weights(manifest, pathlib.Path(d))


class ReferenceTest(unittest.TestCase):
    def test_pattern_known_pixels(self):
        x = reference.pattern_image([1, 3, 2, 2], 1.0, 0.0)
        # v(0,0,0,0) = 0.5 + 0.5 sin(0.37) = 0.68081 -> 173.6 -> 174
        self.assertEqual(float(x[0, 0, 0, 0]), 174.0)
        v = 0.5 + 0.5 * math.sin(0.37 * 3 + 0.113 * 1 + 0.071 * 0) * math.cos(0.029 * 1)
        self.assertEqual(float(x[0, 2, 1, 0]), math.floor(255 * v + 0.5))
        y = reference.pattern_image([1, 3, 2, 2], [2.0, 1.0, 1.0], [-1.0, 0.0, 0.5])
        self.assertEqual(float(y[0, 0, 0, 0]), 347.0)
        self.assertEqual(float(y[0, 2, 1, 0]), float(x[0, 2, 1, 0]) + 0.5)

    def test_parity_check_catches_an_off_sample(self):
        out = torch.tensor([[1.0, 2.0, 3.0, 4.0]])
        ref = {"rtol": 1e-4, "outputs": [{"name": "y", "shape": [1, 4], "max_abs": 4.0,
                                          "samples": [[0, 1.0], [3, 4.0]]}]}
        self.assertEqual(reference.check_parity({"y": out}, ref), [])
        near = out.clone()
        near[0, 3] += 4e-4  # within 1e-4*4 + 1e-4*4
        self.assertEqual(reference.check_parity({"y": near}, ref), [])
        off = out.clone()
        off[0, 3] += 1e-3
        failures = reference.check_parity({"y": off}, ref)
        self.assertEqual(len(failures), 1)
        self.assertIn("'y'", failures[0])
        self.assertIn("flat index 3", failures[0])
        self.assertTrue(reference.check_parity({"y": torch.zeros(2, 4)}, ref)[0].startswith("output 'y' has shape"))

    def test_sample_indices(self):
        idx = reference.sample_indices(1000)
        self.assertEqual(len(idx), 256)
        self.assertEqual(idx[:3], [0, 3, 7])
        self.assertEqual(idx[-1], 996)


if __name__ == "__main__":
    unittest.main()
