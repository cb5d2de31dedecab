#!/usr/bin/env python3
"""PyTorch reference for `gradsweep bench`: the same trials, timed the same way, in eager PyTorch on one thread.

Prints one JSON object per line, one per scenario, so the Java benchmark can compute gradsweep/PyTorch ratios in
the same run. The data are random tensors of the trial's shape (the adding problem's, drawn as gradsweep draws it):
per-iteration cost does not depend on the values. Scenarios: circles, circles-dropout (drop
probability 0.2 on every hidden layer's output), mnist, mnist-bn (MLPs), cnn, cnn-bn (the
ResNet-style MNIST CNN), rnn (tanh SimpleRNN) and lstm, each at its gradsweep row's shape, optimizer and batch.

Per-iteration statistics mirror gradsweep's gradients table: for every parameter tensor, the mean, std, mean
|g|, L2 and max |g| of the gradient, the mean, std and L2 of the weights, and the update ratio
||w_after - w_before|| / ||w_before||, each fetched to the host once per tensor (as a user's logging would).
Recurrent scenarios also compute the input gradient dL/dx and, per step, its L2 and max |g| (gradsweep's
timestep_gradients table).
"""
import argparse
import json
import statistics
import time

import torch_blas  # first: it pins the BLAS to one thread before torch loads it

import torch


def mlp(inputs, widths, outputs, activation, batch_norm=False, dropout=0.0):
    layers, fan_in = [], inputs
    for w in widths:
        # gradsweep's placement: dense, batch norm (DL4J's decay 0.9 is PyTorch's momentum 0.1), activation
        norm = [torch.nn.BatchNorm1d(w, eps=1e-5, momentum=0.1)] if batch_norm else []
        # DL4J drops the inputs of every layer but the first: the outputs of every hidden layer, inverted dropout
        # with drop probability p, as torch.nn.Dropout(p)
        drop = [torch.nn.Dropout(dropout)] if dropout else []
        layers += [torch.nn.Linear(fan_in, w), *norm, activation(), *drop]
        fan_in = w
    layers.append(torch.nn.Linear(fan_in, outputs))
    return torch.nn.Sequential(*layers)


def cnn(blocks, channels, batch_norm):
    """gradsweep's `model: cnn` (model/Graphs.cnn): a stride-2 3x3 stem (28x28 to 14x14), same-padded 3x3 convs
    with biases, [batch norm,] relu, global average pooling, a dense softmax layer; He-normal weights."""
    layers, fan_in = [], 1
    for i in range(blocks):
        # DL4J's Same mode pads the stem's 28 rows with 0 above and 1 below; padding=1 pads 1 on both sides and
        # gives the same 14x14 output, so the same multiply-adds
        conv = torch.nn.Conv2d(fan_in, channels, 3, stride=2 if i == 0 else 1, padding=1)
        torch.nn.init.kaiming_normal_(conv.weight, nonlinearity="relu")
        torch.nn.init.zeros_(conv.bias)
        norm = [torch.nn.BatchNorm2d(channels, eps=1e-5, momentum=0.1)] if batch_norm else []
        layers += [conv, *norm, torch.nn.ReLU()]
        fan_in = channels
    layers += [torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten(), torch.nn.Linear(fan_in, 10)]
    return torch.nn.Sequential(*layers)


class Recurrent(torch.nn.Module):
    """gradsweep's recurrent regression (model/Recurrent): one recurrent layer, its output at the last step, one
    linear unit. PyTorch's RNN and LSTM (the same peephole-free gates as DL4J's) have two bias vectors, b_ih and
    b_hh, where DL4J has one b: b_hh stays 0, and the LSTM's forget quarter of b_ih starts at 1 as DL4J's does.
    The extra vector (32 or 128 values) adds one tensor to the statistics and a negligible cost."""

    def __init__(self, lstm, features, units):
        super().__init__()
        self.rnn = (torch.nn.LSTM(features, units, batch_first=True) if lstm
                    else torch.nn.RNN(features, units, nonlinearity="tanh", batch_first=True))
        for name, p in self.rnn.named_parameters():
            if name.startswith("weight"):
                torch.nn.init.xavier_uniform_(p)
            else:
                torch.nn.init.zeros_(p)
        if lstm:
            with torch.no_grad():
                self.rnn.bias_ih_l0[units:2 * units] = 1  # PyTorch's gate order is i, f, g, o
        self.out = torch.nn.Linear(units, 1)

    def forward(self, x):
        return self.out(self.rnn(x)[0][:, -1])


def adding(samples, steps):
    """The adding problem as data/Adding.java draws it: values in [0, 1), two markers, the target their sum."""
    x = torch.zeros(samples, steps, 2)
    x[:, :, 0] = torch.rand(samples, steps)
    rows = torch.arange(samples)
    first = torch.randint(0, steps // 2, (samples,))
    second = torch.randint(steps // 2, steps, (samples,))
    x[rows, first, 1] = 1
    x[rows, second, 1] = 1
    return x, (x[rows, first, 0] + x[rows, second, 0]).unsqueeze(1)


def adam(p, lr=1e-3):
    return torch.optim.Adam(p, lr=lr, eps=1e-7)  # Keras's epsilon, as gradsweep sets it


def labelled(samples, shape, classes):
    return torch.rand(samples, *shape), torch.randint(0, classes, (samples,))


def circles(dropout=0.0):
    return (lambda: mlp(2, [5] * 4, 1, torch.nn.Sigmoid, dropout=dropout),
            lambda p: torch.optim.RMSprop(p, lr=1e-3, alpha=0.9, eps=1e-7),
            lambda: (torch.rand(1000, 2), (torch.rand(1000, 1) > 0.5).float()), torch.nn.BCEWithLogitsLoss, 32)


# name: (model factory, optimizer factory, data factory, loss, batch); data as the bench's gradsweep rows read them
SCENARIOS = {
    "circles": circles(),
    "circles-dropout": circles(dropout=0.2),
    "mnist": (lambda: mlp(784, [256] * 11, 10, torch.nn.ReLU), adam, lambda: labelled(8000, (784,), 10),
              torch.nn.CrossEntropyLoss, 32),
    "mnist-bn": (lambda: mlp(784, [256] * 11, 10, torch.nn.ReLU, batch_norm=True), adam,
                 lambda: labelled(8000, (784,), 10), torch.nn.CrossEntropyLoss, 32),
    "cnn": (lambda: cnn(10, 8, False), adam, lambda: labelled(640, (1, 28, 28), 10), torch.nn.CrossEntropyLoss, 32),
    "cnn-bn": (lambda: cnn(10, 8, True), adam, lambda: labelled(640, (1, 28, 28), 10), torch.nn.CrossEntropyLoss, 32),
    # conf/rnn-adding.yaml at T = 100: 32 units, Adam 0.01, batch 64, mean squared error on the last step's output
    "rnn": (lambda: Recurrent(False, 2, 32), lambda p: adam(p, 0.01), lambda: adding(640, 100), torch.nn.MSELoss,
            64),
    "lstm": (lambda: Recurrent(True, 2, 32), lambda p: adam(p, 0.01), lambda: adding(640, 100), torch.nn.MSELoss,
             64),
}
SEQUENCES = {"rnn", "lstm"}


def record(model, before):
    rows = []
    for p, b in zip(model.parameters(), before):
        g = p.grad
        s = torch.stack([g.mean(), g.std(unbiased=False), g.abs().mean(), g.norm(), g.abs().max(),
                         p.mean(), p.std(unbiased=False), p.norm(), (p - b).norm() / b.norm().clamp_min(1e-30)])
        rows.append(s.tolist())
    return rows


def record_steps(x):
    """timestep_gradients: L2 and max |g| of dL/dx_t over the minibatch and features, for every step t."""
    g = x.grad
    return g.pow(2).sum((0, 2)).sqrt().tolist(), g.abs().amax((0, 2)).tolist()


def run(name, iterations, batch, stats, seed):
    make_model, optimizer, make_data, make_loss, default_batch = SCENARIOS[name]
    batch = batch or default_batch
    torch.manual_seed(seed)
    model = make_model()
    opt = optimizer(model.parameters())
    x, y = make_data()
    samples = len(x)
    loss_fn = make_loss()
    # gradsweep's recurrent rows record the input gradient per step from the training backward pass
    steps = stats and name in SEQUENCES
    order = torch.randperm(samples)
    start = time.thread_time()  # CPU time of this thread, as gradsweep's bench measures its own
    for i in range(iterations):
        at = (i * batch) % (samples - batch + 1)
        idx = order[at:at + batch]
        opt.zero_grad(set_to_none=False)
        xb = x[idx].requires_grad_(steps)
        loss = loss_fn(model(xb), y[idx])
        loss.backward()
        before = [p.detach().clone() for p in model.parameters()] if stats else None
        opt.step()
        if stats:
            record(model, before)
        if steps:
            record_steps(xb)
        loss.item()  # the loop reads the loss each iteration, as gradsweep's divergence check does
    return (time.thread_time() - start) / iterations * 1e6


def scenario(text):
    """NAME or NAME:ITERATIONS (None: the --iterations default)."""
    name, _, iterations = text.partition(":")
    if name not in SCENARIOS:
        raise argparse.ArgumentTypeError(f"unknown scenario {name!r}; expected one of {', '.join(sorted(SCENARIOS))}")
    return name, int(iterations) if iterations else None


def describe(name):
    """The scenario's shapes without training, for the bench's test that they are gradsweep's: the element count of
    every trainable tensor, the batch, the training examples and one example's input shape."""
    make_model, _, make_data, _, batch = SCENARIOS[name]
    torch.manual_seed(0)
    x, _ = make_data()
    model = make_model()
    return {"scenario": name, "tensors": [p.numel() for p in model.parameters()], "batch": batch,
            "samples": len(x), "example": list(x.shape[1:]), "dropout": dropped_inputs(model)}


def dropped_inputs(model):
    """[dense layer index, drop probability] for every dense layer whose input passes a Dropout."""
    dropped, dense, pending = [], 0, None
    for m in model.modules():
        if isinstance(m, torch.nn.Dropout):
            pending = m.p
        elif isinstance(m, torch.nn.Linear):
            if pending is not None:
                dropped.append([dense, pending])
            dense, pending = dense + 1, None
    return dropped


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--scenario", type=scenario, action="append", required=True,
                    help="NAME or NAME:ITERATIONS, NAME one of " + ", ".join(sorted(SCENARIOS)))
    ap.add_argument("--iterations", type=int, default=2000, help="for a --scenario given without its own")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--batch", type=int, help="for every scenario (default: each its own, as in gradsweep's rows)")
    ap.add_argument("--describe", action="store_true", help="print each scenario's shapes instead of timing it")
    args = ap.parse_args()
    if args.describe:
        for name, _ in args.scenario:
            print(json.dumps(describe(name)), flush=True)
        return
    torch.set_num_threads(1)
    kind, library = torch_blas.loaded()
    for name, iterations in args.scenario:
        iterations = iterations or args.iterations
        for stats in (False, True):
            run(name, max(50, iterations // 10), args.batch, stats, 0)  # warm-up
            times = [run(name, iterations, args.batch, stats, r) for r in range(args.repeats)]
            print(json.dumps({"scenario": name, "stats": stats, "median_us": statistics.median(times),
                              "min_us": min(times), "max_us": max(times), "iterations": iterations,
                              "repeats": args.repeats, "torch": torch.__version__, "blas": library, "blas_kind": kind,
                              "threads": 1}), flush=True)


if __name__ == "__main__":
    main()
