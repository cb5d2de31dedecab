#!/usr/bin/env python3
"""PyTorch reference for `gradsweep bench`: the same trials, timed the same way, in eager PyTorch on one thread.

Prints one JSON object per line, one per scenario, so the Java benchmark can compute gradsweep/PyTorch ratios in
the same run. The data are random tensors of the trial's shape: per-iteration cost does not depend on the values.

Per-iteration statistics mirror gradsweep's gradients table: for every parameter tensor, the mean, std, mean
|g|, L2 and max |g| of the gradient, the mean, std and L2 of the weights, and the update ratio
||w_after - w_before|| / ||w_before||, each fetched to the host once per tensor (as a user's logging would).
"""
import argparse
import json
import statistics
import time

import torch_blas  # first: it pins the BLAS to one thread before torch loads it

import torch



def mlp(inputs, widths, outputs, activation, batch_norm=False):
    layers, fan_in = [], inputs
    for w in widths:
        # gradsweep's placement: dense, batch norm (DL4J's decay 0.9 is PyTorch's momentum 0.1), activation
        norm = [torch.nn.BatchNorm1d(w, eps=1e-5, momentum=0.1)] if batch_norm else []
        layers += [torch.nn.Linear(fan_in, w), *norm, activation()]
        fan_in = w
    layers.append(torch.nn.Linear(fan_in, outputs))
    return torch.nn.Sequential(*layers)


SCENARIOS = {
    # name: (inputs, hidden widths, outputs, activation, optimizer factory, samples)
    "circles": (2, [5] * 4, 1, torch.nn.Sigmoid, lambda p: torch.optim.RMSprop(p, lr=1e-3, alpha=0.9, eps=1e-7), 1000),
    "mnist": (784, [256] * 11, 10, torch.nn.ReLU, lambda p: torch.optim.Adam(p, lr=1e-3, eps=1e-7), 8000),
    "mnist-bn": (784, [256] * 11, 10, torch.nn.ReLU, lambda p: torch.optim.Adam(p, lr=1e-3, eps=1e-7), 8000),
}
BATCH_NORM = {"mnist-bn"}


def record(model, before):
    rows = []
    for p, b in zip(model.parameters(), before):
        g = p.grad
        s = torch.stack([g.mean(), g.std(unbiased=False), g.abs().mean(), g.norm(), g.abs().max(),
                         p.mean(), p.std(unbiased=False), p.norm(), (p - b).norm() / b.norm().clamp_min(1e-30)])
        rows.append(s.tolist())
    return rows


def run(name, iterations, batch, stats, seed):
    inputs, widths, outputs, activation, optimizer, samples = SCENARIOS[name]
    torch.manual_seed(seed)
    model = mlp(inputs, widths, outputs, activation, name in BATCH_NORM)
    opt = optimizer(model.parameters())
    x = torch.rand(samples, inputs)
    y = (torch.rand(samples, 1) > 0.5).float() if outputs == 1 else torch.randint(0, outputs, (samples,))
    loss_fn = torch.nn.BCEWithLogitsLoss() if outputs == 1 else torch.nn.CrossEntropyLoss()
    order = torch.randperm(samples)
    start = time.thread_time()  # CPU time of this thread, as gradsweep's bench measures its own
    for i in range(iterations):
        at = (i * batch) % (samples - batch + 1)
        idx = order[at:at + batch]
        opt.zero_grad(set_to_none=False)
        loss = loss_fn(model(x[idx]), y[idx])
        loss.backward()
        before = [p.detach().clone() for p in model.parameters()] if stats else None
        opt.step()
        if stats:
            record(model, before)
        loss.item()  # the loop reads the loss each iteration, as gradsweep's divergence check does
    return (time.thread_time() - start) / iterations * 1e6


def scenario(text):
    """NAME or NAME:ITERATIONS (None: the --iterations default)."""
    name, _, iterations = text.partition(":")
    if name not in SCENARIOS:
        raise argparse.ArgumentTypeError(f"unknown scenario {name!r}; expected one of {', '.join(sorted(SCENARIOS))}")
    return name, int(iterations) if iterations else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--scenario", type=scenario, action="append", required=True,
                    help="NAME or NAME:ITERATIONS, NAME one of " + ", ".join(sorted(SCENARIOS)))
    ap.add_argument("--iterations", type=int, default=2000, help="for a --scenario given without its own")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--batch", type=int, default=32)
    args = ap.parse_args()
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
