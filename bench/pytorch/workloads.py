"""The workloads of shared/design/workloads.md in PyTorch on the CPU, for the ratios in bench/README.md.

Run with the same thread count as Nabla's runner (all cores) and print lines in the workload runner's
format, so the two outputs compare line by line (bench/pytorch/ratios.py):

    python3 bench/pytorch/workloads.py [W1 ... W6 SGEMM] [--threads N] [--iterations N]

Each figure is the median of the timed iterations after at least 3 warm-up iterations and 2 s of
warm-up, as Workloads.java does; ms_lo/ms_hi bound the median with the same distribution-free 95%
interval (order statistics of the binomial(n, 1/2)). Random data of the stated shapes, float32.
Nothing in the Maven build runs this file.
"""
import argparse
import math
import os
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def conv_case(n, c, h, w, f, k, pad):
    x = torch.randn(n, c, h, w, requires_grad=True)
    wt = torch.randn(f, c, k, k, requires_grad=True)
    b = torch.randn(f, requires_grad=True)
    dout = torch.randn(n, f, h + 2 * pad - k + 1, w + 2 * pad - k + 1)
    flop = 3 * 2 * n * f * c * k * k * dout.shape[2] * dout.shape[3]

    def step():
        x.grad = wt.grad = b.grad = None
        y = F.conv2d(x, wt, b, padding=pad)
        y.backward(dout)
    return step, flop / 1e9, "GFLOP/s"


def sgd_step(model, x, y):
    opt = torch.optim.SGD(model.parameters(), lr=1e-4)

    def step():
        opt.zero_grad(set_to_none=True)
        F.cross_entropy(model(x), y).backward()
        opt.step()
    return step


def w3():
    model = nn.Sequential(nn.Flatten(), nn.Linear(784, 500), nn.ReLU(), nn.Linear(500, 10))
    return sgd_step(model, torch.randn(100, 1, 28, 28), torch.randint(0, 10, (100,))), 100, "images/s"


def w4():
    model = nn.Sequential(nn.Conv2d(1, 32, 7), nn.ReLU(), nn.MaxPool2d(2, 2), nn.Flatten(),
                          nn.Linear(32 * 11 * 11, 100), nn.ReLU(), nn.Linear(100, 10))
    return sgd_step(model, torch.randn(50, 1, 28, 28), torch.randint(0, 10, (50,))), 50, "images/s"


class Captioning(nn.Module):
    """The course's captioning RNN: features -> h0, embedding -> tanh RNN -> temporal affine -> masked loss."""

    def __init__(self, d=512, wv=256, h=512, v=1004):
        super().__init__()
        self.proj = nn.Linear(d, h)
        self.embed = nn.Embedding(v, wv)
        self.rnn = nn.RNN(wv, h, nonlinearity="tanh", batch_first=True)
        self.vocab = nn.Linear(h, v)

    def loss(self, features, captions):
        inp, out = captions[:, :-1], captions[:, 1:]
        h0 = self.proj(features).unsqueeze(0)
        hidden, _ = self.rnn(self.embed(inp), h0)
        scores = self.vocab(hidden)
        mask = (out != 0).float()
        per = F.cross_entropy(scores.reshape(-1, scores.shape[-1]), out.reshape(-1), reduction="none")
        return (per * mask.reshape(-1)).sum() / captions.shape[0]


def w5():
    n, steps, vocab = 100, 16, 1004
    net = Captioning()
    features = torch.randn(n, 512)
    captions = torch.zeros(n, steps + 1, dtype=torch.long)
    g = torch.Generator().manual_seed(1)
    for row in captions:
        words = 8 + int(torch.randint(0, steps - 8, (1,), generator=g))
        row[0] = 1
        row[1:words + 1] = torch.randint(4, vocab, (words,), generator=g)
        row[words + 1] = 2

    def step():
        net.zero_grad(set_to_none=True)
        net.loss(features, captions).backward()
    return step, n, "sequences/s"


def inverted_residual(cin, cout, stride, expand):
    hidden = cin * expand
    layers = []
    if expand != 1:
        layers += [nn.Conv2d(cin, hidden, 1), nn.ReLU6()]
    layers += [nn.Conv2d(hidden, hidden, 3, stride, 1, groups=hidden), nn.ReLU6(), nn.Conv2d(hidden, cout, 1)]
    body = nn.Sequential(*layers)

    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.body = body

        def forward(self, x):
            y = self.body(x)
            return x + y if stride == 1 and cin == cout else y
    return Block()


def mobilenet_v2(classes=1000):
    """MobileNetV2 1.0 with its batch norms folded into the convolutions (biases), as Nabla imports it."""
    layers = [nn.Conv2d(3, 32, 3, 2, 1), nn.ReLU6()]
    cin = 32
    for t, c, n, s in [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1),
                       (6, 160, 3, 2), (6, 320, 1, 1)]:
        for i in range(n):
            layers.append(inverted_residual(cin, c, s if i == 0 else 1, t))
            cin = c
    layers += [nn.Conv2d(cin, 1280, 1), nn.ReLU6(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(1280, classes)]
    return nn.Sequential(*layers)


def w6():
    return sgd_step(mobilenet_v2(), torch.randn(8, 3, 224, 224), torch.randint(0, 1000, (8,))), 8, "images/s"


def sgemm():
    a = torch.randn(2048, 2048)
    b = torch.randn(2048, 2048)
    return (lambda: torch.mm(a, b)), 2.0 * 2048 ** 3 / 1e9, "GFLOP/s"


WORKLOADS = {
    "W1": lambda: conv_case(50, 1, 28, 28, 32, 7, 0),
    "W2": lambda: conv_case(16, 64, 56, 56, 64, 3, 1),
    "W3": w3, "W4": w4, "W5": w5, "W6": w6, "SGEMM": sgemm,
}


def median_interval(ms):
    """The median and the runner's distribution-free 95% interval for it (Workloads.interval): the j-th smallest
    and j-th largest time, j the smallest count with P(Binomial(n, 1/2) <= j) >= 2.5%."""
    v = sorted(ms)
    n = len(v)
    med = v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2
    j, cdf = 0, 0.0
    while True:
        cdf += math.comb(n, j) / 2 ** n
        if cdf >= 0.025:
            break
        j += 1
    j = max(1, j)
    return med, v[j - 1], v[n - j]


def number(x):
    return f"{x:.1f}" if x >= 10 else f"{x:.2f}" if x >= 1 else f"{x:.3f}"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("ids", nargs="*")
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--iterations", type=int, default=10)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    for wid in args.ids or list(WORKLOADS):
        step, work, unit = WORKLOADS[wid.upper()]()
        t0 = time.perf_counter()
        i = 0
        while i < 3 or time.perf_counter() - t0 < 2.0:
            step()
            i += 1
        ms = []
        for _ in range(args.iterations):
            t = time.perf_counter()
            step()
            ms.append((time.perf_counter() - t) * 1e3)
        med, lo, hi = median_interval(ms)
        print(f"backend=pytorch workload={wid.upper()} ms={number(med)} ms_lo={number(lo)} ms_hi={number(hi)} "
              f"throughput={number(work / (med / 1e3))} unit={unit}", flush=True)


if __name__ == "__main__":
    main()
