"""FLOAT64 reference outputs of the shared ONNX models, for OnnxImportTest (run by hand; the tests never run it).

A small interpreter of the ops these three models use, over torch.nn.functional in float64 with the files'
weights: an independent float64 rerun of the same models. Float attributes are read as their shortest decimal
(epsilon 1e-5, not the float 9.99999974e-6), as Nabla's importer reads them.

    python3 onnx/src/test/python/float64_reference.py ../shared/data/onnx onnx/src/test/resources/float64

needs onnx, numpy and torch. Writes <model>.<tag>.output.npy (float64) for every reference input.
"""
import glob
import os
import sys

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import helper, numpy_helper


def decimal(f):
    return float(str(np.float32(f)))


def run(model, x):
    g = model.graph
    env = {t.name: torch.from_numpy(numpy_helper.to_array(t).astype(np.float64)) for t in g.initializer}
    env[g.input[0].name] = x
    for n in g.node:
        a = {k.name: helper.get_attribute_value(k) for k in n.attribute}
        i = [env[name] if name else None for name in n.input]
        op = n.op_type
        if op == "Conv":
            p = a.get("pads", [0, 0, 0, 0])
            xp = F.pad(i[0], (p[1], p[3], p[0], p[2]))
            y = F.conv2d(xp, i[1], i[2] if len(i) > 2 else None, stride=a.get("strides", [1, 1]),
                         groups=a.get("group", 1))
        elif op == "BatchNormalization":
            y = F.batch_norm(i[0], i[3], i[4], i[1], i[2], False, 0.0, decimal(a.get("epsilon", 1e-5)))
        elif op == "Relu":
            y = F.relu(i[0])
        elif op == "Clip":
            y = torch.clamp(i[0], float(i[1]), float(i[2]))
        elif op == "MaxPool":
            p = a.get("pads", [0, 0, 0, 0])
            xp = F.pad(i[0], (p[1], p[3], p[0], p[2]), value=float("-inf"))
            y = F.max_pool2d(xp, a["kernel_shape"], a.get("strides", [1, 1]))
        elif op == "AveragePool":
            assert not any(a.get("pads", [0])), "padded average pooling is not in these models"
            y = F.avg_pool2d(i[0], a["kernel_shape"], a.get("strides", [1, 1]))
        elif op == "GlobalAveragePool":
            y = i[0].mean(dim=(2, 3), keepdim=True)
        elif op == "Flatten":
            y = torch.flatten(i[0], a.get("axis", 1))
        elif op == "Gemm":
            w = i[1].T if a.get("transB", 0) else i[1]
            y = decimal(a.get("alpha", 1.0)) * i[0] @ w + decimal(a.get("beta", 1.0)) * i[2]
        elif op == "Add":
            y = i[0] + i[1]
        elif op == "Dropout":
            y = i[0]
        elif op == "Softmax":
            y = F.softmax(i[0], dim=a.get("axis", -1))
        else:
            raise ValueError("op " + op + " is not in this interpreter")
        env[n.output[0]] = y
    return env[g.output[0].name]


def main(data, out):
    os.makedirs(out, exist_ok=True)
    for path in sorted(glob.glob(os.path.join(data, "reference", "*.input.npy"))):
        stem = os.path.basename(path)[: -len(".input.npy")]
        model = onnx.load(os.path.join(data, stem.rsplit(".", 1)[0] + ".onnx"))
        x = torch.from_numpy(np.load(path).astype(np.float64))
        with torch.no_grad():
            y = run(model, x).numpy()
        np.save(os.path.join(out, stem + ".output.npy"), y)
        ref = np.load(os.path.join(data, "reference", stem + ".output.npy"))
        print(stem, y.shape, "max |float64 - onnxruntime float32| = %.3e" % np.abs(y - ref).max())


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
