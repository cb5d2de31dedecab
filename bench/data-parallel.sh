#!/usr/bin/env bash
# What data-parallel training costs: one MNIST trial (784-128x5-10 relu, Adam, batch 32 per worker, 8,000 training
# images) trained locally by DL4J and data-parallel on WORKERS workers with averaging frequencies 1, 5 and 20, each
# run embedded on local[CORES]. Prints a Markdown table: seconds per epoch (warm: the median of epochs after the
# first), averaging rounds per epoch, test accuracy, and the per-round overhead fitted from the frequencies.
#   bench/data-parallel.sh [--epochs 3] [--workers 2] [--cores 2] [--mnist ../shared/data/mnist]
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
EPOCHS=3 WORKERS=2 CORES=2 MNIST="$HERE/../shared/data/mnist"
while [[ $# -gt 0 ]]; do
  case $1 in
    --epochs) EPOCHS=$2; shift 2 ;;
    --workers) WORKERS=$2; shift 2 ;;
    --cores) CORES=$2; shift 2 ;;
    --mnist) MNIST=$2; shift 2 ;;
    *) echo "usage: $0 [--epochs N] [--workers N] [--cores N] [--mnist DIR]" >&2; exit 2 ;;
  esac
done
WORK=$(mktemp -d "${TMPDIR:-/tmp}/gradsweep-dp-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
[[ -n "${GRADSWEEP_NO_BUILD:-}" ]] || (cd "$HERE" && mvn -B -q package -DskipTests >&2)

spec() { # name, train block
  cat > "$WORK/$1.yaml" <<YAML
name: $1
dataset: {name: mnist, path: $MNIST, split: t10k, seed: 1, test_fraction: 0.2}
train: {epochs: $EPOCHS, batch_size: 32$2}
grid: {activation: [relu], depth: [5], width: [128], initializer: [glorot_uniform], optimizer: [adam],
       learning_rate: [0.001], seed: [1]}
stats: {every: 5}
YAML
}

run() { # name -> log
  GRADSWEEP_NO_BUILD=1 "$HERE/submit.sh" "$WORK/$1.yaml" --master "local[$CORES]" --out "$WORK/out-$1" \
    > "$WORK/$1.log" 2>&1 || { tail -30 "$WORK/$1.log" >&2; exit 4; }
}

query() { # name, SQL -> first value
  GRADSWEEP_NO_BUILD=1 "$HERE/submit.sh" query --out "$WORK/out-$1" --format csv "$2" 2>/dev/null | sed -n 2p
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

spec local ", engine: dl4j"
run local
local_epoch=$(query local "SELECT round(wall_ms / 1000.0 / epochs, 2) FROM trials")
local_acc=$(query local "SELECT round(test_accuracy, 4) FROM trials")
echo "| setup | s per epoch (warm) | rounds per epoch | test accuracy |"
echo "|---|---|---|---|"
echo "| local, DL4J, one core | $local_epoch (mean incl. warm-up) | - | $local_acc |"
declare -A secs rounds
for f in 1 5 20; do
  spec "f$f" ", mode: data-parallel, data_parallel: {workers: $WORKERS, averaging_frequency: $f}"
  run "f$f"
  secs[$f]=$(grep -o 'epoch [0-9]*/[0-9]*: .*(\([0-9.]*\) s)' "$WORK/f$f.log" | tail -n +2 \
    | sed 's/.*(\([0-9.]*\) s)/\1/' | median)
  iters=$(grep -o ', [0-9]* iterations' "$WORK/f$f.log" | head -1 | grep -o '[0-9]*')
  rounds[$f]=$((iters / f))
  acc=$(grep -o 'test_accuracy [0-9.]*' "$WORK/f$f.log" | tail -1 | cut -d' ' -f2)
  echo "| data-parallel, $WORKERS workers, averaging every $f | ${secs[$f]} | ${rounds[$f]} | $acc |"
done
awk -v a="${secs[1]}" -v b="${secs[20]}" -v ra="${rounds[1]}" -v rb="${rounds[20]}" 'BEGIN {
  printf "\nPer-round overhead, from averaging every 1 vs every 20 (same compute, different round counts): " \
         "%.3f s per round\n", (a - b) / (ra - rb) }'
echo "Machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%d)"
