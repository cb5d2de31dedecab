"""Which BLAS this PyTorch process computes its products with, for the bench scripts in this directory.

Debian's torch calls whatever libblas.so.3 the alternatives system points to: the reference BLAS unless an optimized
one (libopenblas0-pthread) is installed, and the reference BLAS makes MNIST-sized products many times slower.
torch.__config__.show() says BLAS_INFO=generic either way, so the libraries mapped into this process decide; a
wheel that links its BLAS statically maps none, and then its build configuration is all there is to go by.

Import this module before torch: it pins the BLAS to one thread first. torch.set_num_threads(1) does not reach an
OpenBLAS that torch does not know it links (Debian's), which would otherwise start a thread per core for larger
products, and the scripts' CPU clock (time.thread_time) would not even count those threads.
"""
import os
import re

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import torch  # noqa: E402  (after the thread pins above)

# Substrings of a mapped library's path, checked in order; a libblas.so that matches none is the reference BLAS.
OPTIMIZED = ("openblas", "mkl", "blis", "atlas", "accelerate")


def classify(paths, config=""):
    """(kind, detail): kind is one of OPTIMIZED, 'reference' or 'unknown'; detail names what decided it."""
    for kind in OPTIMIZED:
        hits = [p for p in paths if kind in p.lower()]
        if hits:
            return kind, ", ".join(hits)
    reference = [p for p in paths if re.search(r"/libblas\.so", p)]
    if reference:
        return "reference", ", ".join(reference)
    info = re.search(r"BLAS_INFO=(\w+)", config)
    if info and info.group(1).lower() in OPTIMIZED:
        return info.group(1).lower(), "BLAS_INFO=" + info.group(1) + " (linked into torch)"
    return "unknown", ", ".join(paths) or "no BLAS library mapped; " + (info.group(0) if info else "no BLAS_INFO")


def loaded():
    """Multiplies once so that a lazily loaded BLAS is mapped, then reads /proc/self/maps."""
    torch.rand(8, 8) @ torch.rand(8, 8)
    try:
        with open("/proc/self/maps") as maps:
            files = {line.split()[-1] for line in maps if "/" in line}
    except OSError:
        files = set()
    paths = sorted(f for f in files if re.search(r"blas|mkl|blis|atlas", f.rsplit("/", 1)[-1].lower()))
    return classify(paths, torch.__config__.show())
