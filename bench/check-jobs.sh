#!/usr/bin/env bash
# Times `apigw-lsp check` over many templates with 1 thread and with more: by default
# 2,000 templates of 13 KB (bench/gen_check_corpus.py), --jobs 1 and --jobs 2, three
# runs each after one warm-up, on the release build; prints the median wall time of each.
# Uses hyperfine when it is installed, else a loop in Python.
#
#   bench/check-jobs.sh                      # COUNT=2000 JOBS="1 2" RUNS=3
#   COUNT=500 JOBS="1 2 4" RUNS=5 bench/check-jobs.sh
#
# The templates go to target/bench-data/check-COUNT/ (or under $CARGO_TARGET_DIR) and
# are reused; the raw numbers to target/bench-data/check-jobs.json.
set -euo pipefail
cd "$(dirname "$0")/.."
count=${COUNT:-2000}
jobs=${JOBS:-1 2}
runs=${RUNS:-3}
target=${CARGO_TARGET_DIR:-target}
bin=${BIN:-$target/release/apigw-lsp}
data=$target/bench-data/check-$count
results=$target/bench-data/check-jobs.json

if [[ -z ${BIN:-} ]]; then
    cargo build --release --locked --quiet
fi
if [[ ! -d $data ]]; then
    python3 bench/gen_check_corpus.py --count "$count" --out "$data"
fi
echo "== $bin check --jobs N $data ($count files); cores: $(nproc); load: $(cut -d' ' -f1-3 /proc/loadavg)"

# `check` exits 1 here (some templates have errors): that is expected, not a failure.
if command -v hyperfine >/dev/null; then
    hyperfine --warmup 1 --runs "$runs" --ignore-failure --export-json "$results" \
        --parameter-list jobs "${jobs// /,}" \
        "$bin check --jobs {jobs} $data"
    python3 - "$results" <<'EOF'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(f"median {r['median']:.2f} s  (user {r['user']:.2f} s, system {r['system']:.2f} s)  {r['command']}")
EOF
else
    python3 - "$bin" "$data" "$runs" "$results" $jobs <<'EOF'
import json, statistics, subprocess, sys, time
bin, data, runs, out, *jobs = sys.argv[1:]
results = []
for j in jobs:
    cmd = [bin, "check", "--jobs", j, data]
    times = []
    for i in range(int(runs) + 1):  # the first is the warm-up
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if i:
            times.append(time.perf_counter() - start)
    results.append({"command": " ".join(cmd), "times": times, "median": statistics.median(times)})
    print(f"median {results[-1]['median']:.2f} s  {' '.join(f'{t:.2f}' for t in times)}  {results[-1]['command']}")
json.dump({"results": results}, open(out, "w"), indent=1)
EOF
fi
