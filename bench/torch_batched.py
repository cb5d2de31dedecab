#!/usr/bin/env python3
"""Batched PyTorch peer for `gradsweep bench`: K circles trials trained as one computation, on one thread.

This is how a PyTorch user who cares about speed trains the trials of one shape: weights stacked per layer as
[K, in, out] and every product one torch.baddbmm, so that K trials cost one op dispatch per step instead of K. The
trials are the bench's circles trial (2-5x4-1 sigmoid, weights N(0,1), biases 0, RMSprop lr 1e-3 rho 0.9 eps 1e-7,
BCE on one logit, batch 32), each with its own minibatch order; with --dropout P, its circles-dropout
variant. RMSprop works element by element and each trial's loss is its own mean, so every trial trains exactly as
it would alone.

Per-iteration statistics are those of gradsweep's gradients table, computed batched over the K trials for every
parameter tensor: mean, std, mean |g|, L2 and max |g| of the gradient, mean, std and L2 of the weights, and the update
ratio ||w_after - w_before|| / ||w_before||; all of an iteration's values reach the host in one transfer, and so do
the K losses (gradsweep checks every trial for divergence every iteration).

Prints one JSON object per line, one per K and with/without statistics: CPU µs of this thread per trial and update.
With --sweep TRIALS:EPOCHS it instead trains TRIALS trials for whole epochs (every example once per epoch, the last
minibatch short, as gradsweep's), statistics every iteration, and evaluates each trial's loss and accuracy on the
training set after every epoch; it prints the wall seconds from the first update to the last evaluation. Its
statistics reach the host and go no further: it writes no file, where gradsweep writes Parquet.
"""
import argparse
import json
import statistics
import time

import torch_blas  # first: it pins the BLAS to one thread before torch loads it

import torch
import torch.nn.functional as F


INPUTS, WIDTHS, OUTPUTS, SAMPLES = 2, [5] * 4, 1, 1000


def parameters(k, generator):
    sizes = [INPUTS] + WIDTHS + [OUTPUTS]
    weights = [torch.randn(k, a, b, generator=generator).requires_grad_() for a, b in zip(sizes, sizes[1:])]
    biases = [torch.zeros(k, 1, b).requires_grad_() for b in sizes[1:]]
    return weights, biases


def forward(weights, biases, x, dropout=0.0):
    """With dropout, every hidden layer's output is dropped as DL4J drops the next layer's input: one draw over the
    [K, batch, width] tensor, so each trial gets its own independent mask, as it would alone."""
    h = x
    for i, (w, b) in enumerate(zip(weights, biases)):
        h = torch.baddbmm(b, h, w)
        if i < len(weights) - 1:
            h = torch.sigmoid(h)
            if dropout:
                h = F.dropout(h, dropout, training=True)
    return h


def record(params, before):
    """[tensors, K, 9] statistics, fetched to the host at once."""
    k = params[0].shape[0]
    rows = []
    for p, b in zip(params, before):
        g, w, b = p.grad.reshape(k, -1), p.detach().reshape(k, -1), b.reshape(k, -1)
        rows.append(torch.stack([g.mean(1), g.std(1, unbiased=False), g.abs().mean(1), g.norm(dim=1),
                                 g.abs().amax(1), w.mean(1), w.std(1, unbiased=False), w.norm(dim=1),
                                 (w - b).norm(dim=1) / b.norm(dim=1).clamp_min(1e-30)], dim=1))
    return torch.stack(rows).tolist()


class Trials:
    """K trials: stacked parameters, their optimizer, the data and each trial's minibatch order."""

    def __init__(self, k, seed, batch, dropout=0.0):
        g = torch.Generator().manual_seed(seed)
        self.dropout = dropout
        self.weights, self.biases = parameters(k, g)
        self.params = [t for pair in zip(self.weights, self.biases) for t in pair]
        self.opt = torch.optim.RMSprop(self.params, lr=1e-3, alpha=0.9, eps=1e-7)
        self.x = torch.rand(SAMPLES, INPUTS, generator=g)
        self.y = (torch.rand(SAMPLES, OUTPUTS, generator=g) > 0.5).float()
        self.order = torch.argsort(torch.rand(k, SAMPLES, generator=g), dim=1)
        self.batch = batch

    def step(self, i, stats, idx=None):
        if idx is None:
            at = (i * self.batch) % (SAMPLES - self.batch + 1)
            idx = self.order[:, at:at + self.batch]
        self.opt.zero_grad(set_to_none=False)
        losses = F.binary_cross_entropy_with_logits(forward(self.weights, self.biases, self.x[idx], self.dropout),
                                                    self.y[idx],
                                                    reduction="none").mean(dim=(1, 2))
        losses.sum().backward()
        before = [p.detach().clone() for p in self.params] if stats else None
        self.opt.step()
        rows = record(self.params, before) if stats else None
        return losses.tolist(), rows


def run(k, iterations, batch, stats, seed, dropout):
    trials = Trials(k, seed, batch, dropout)
    start = time.thread_time()  # CPU time of this thread, as gradsweep's bench measures its own
    for i in range(iterations):
        trials.step(i, stats)
    return (time.thread_time() - start) / iterations / k * 1e6


def sweep(k, epochs, batch, seed):
    """Wall seconds of whole epochs with statistics every iteration and an evaluation after each epoch."""
    trials = Trials(k, seed, batch)
    start = time.perf_counter()
    for _ in range(epochs):
        for at in range(0, SAMPLES, batch):
            trials.step(0, True, trials.order[:, at:at + batch])
        with torch.no_grad():
            logits = forward(trials.weights, trials.biases, trials.x.expand(k, -1, -1))
            y = trials.y.expand(k, -1, -1)
            loss = F.binary_cross_entropy_with_logits(logits, y, reduction="none").mean(dim=(1, 2))
            accuracy = ((logits > 0).float() == y).float().mean(dim=(1, 2))
            loss.tolist(), accuracy.tolist()
    return time.perf_counter() - start


def check(k=3, iterations=20, batch=32):
    """
    The largest relative difference between each batched trial's losses and statistics and the same trial's trained
    alone as a torch.nn.Sequential. Not zero: baddbmm and Linear sum in other orders, in float32, and the update
    ratio's w_after - w_before cancels most digits (about 2e-5 after 20 updates).
    """
    trials = Trials(k, 7, batch)
    alone = []
    for t in range(k):
        layers = []
        for i, (w, b) in enumerate(zip(trials.weights, trials.biases)):
            lin = torch.nn.Linear(w.shape[1], w.shape[2])
            with torch.no_grad():
                lin.weight.copy_(w[t].T)
                lin.bias.copy_(b[t, 0])
            layers += [lin] + ([torch.nn.Sigmoid()] if i < len(trials.weights) - 1 else [])
        model = torch.nn.Sequential(*layers)
        alone.append((model, torch.optim.RMSprop(model.parameters(), lr=1e-3, alpha=0.9, eps=1e-7)))
    worst = 0.0
    for i in range(iterations):
        at = (i * batch) % (SAMPLES - batch + 1)
        idx = trials.order[:, at:at + batch]
        losses, rows = trials.step(i, True)
        for t, (model, opt) in enumerate(alone):
            opt.zero_grad()
            loss = F.binary_cross_entropy_with_logits(model(trials.x[idx[t]]), trials.y[idx[t]])
            loss.backward()
            before = [p.detach().clone() for p in model.parameters()]
            opt.step()
            # Linear keeps W as [out, in]: its statistics are those of the transpose, order-free
            for n, (p, b) in enumerate(zip(model.parameters(), before)):
                g, w = p.grad.flatten(), p.detach().flatten()
                mine = [g.mean(), g.std(unbiased=False), g.abs().mean(), g.norm(), g.abs().max(), w.mean(),
                        w.std(unbiased=False), w.norm(), (p.detach() - b).norm() / b.norm().clamp_min(1e-30)]
                # a mean cancels to near zero: it is compared against its tensor's magnitude (mean |g|, std w)
                scale = {0: mine[2], 5: mine[6]}
                for j, (a, e) in enumerate(zip(rows[n][t], mine)):
                    worst = max(worst, abs(a - e.item()) / max(abs(e.item()), abs(scale.get(j, e).item()), 1e-30))
            worst = max(worst, abs(losses[t] - loss.item()) / abs(loss.item()))
    return worst


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--k", type=int, action="append", help="trials trained together (repeatable); default 64")
    ap.add_argument("--updates", type=int, default=32000, help="trial-updates per run: iterations = updates / K")
    ap.add_argument("--min-iterations", type=int, default=200)
    ap.add_argument("--max-iterations", type=int, default=2000, help="as many as the one-trial reference runs")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--dropout", type=float, default=0.0,
                    help="drop probability on every hidden layer's output: the circles-dropout scenario")
    ap.add_argument("--check", action="store_true", help="compare batched trials with the same trials alone; exit")
    ap.add_argument("--sweep", help="TRIALS:EPOCHS: time whole epochs of TRIALS trials instead; exit")
    args = ap.parse_args()
    torch.set_num_threads(1)
    kind, detail = torch_blas.loaded()
    if args.check:
        worst = check()
        print(json.dumps({"check": "batched vs alone", "max_relative_difference": worst}))
        raise SystemExit(0 if worst < 1e-4 else 1)
    if args.sweep:
        k, epochs = (int(v) for v in args.sweep.split(":"))
        print(json.dumps({"sweep": True, "trials": k, "epochs": epochs, "wall_s": sweep(k, epochs, args.batch, 0),
                          "torch": torch.__version__, "blas": detail, "blas_kind": kind, "threads": 1}), flush=True)
        return
    for k in args.k or [64]:
        iterations = min(args.max_iterations, max(args.min_iterations, args.updates // k))
        for stats in (False, True):
            run(k, max(20, iterations // 10), args.batch, stats, 0, args.dropout)  # warm-up
            times = [run(k, iterations, args.batch, stats, r, args.dropout) for r in range(args.repeats)]
            print(json.dumps({"scenario": "circles-dropout" if args.dropout else "circles", "k": k, "stats": stats, "median_us": statistics.median(times),
                              "min_us": min(times), "max_us": max(times), "iterations": iterations,
                              "repeats": args.repeats, "torch": torch.__version__, "blas": detail,
                              "blas_kind": kind, "threads": 1, "method": "baddbmm"}), flush=True)


if __name__ == "__main__":
    main()
