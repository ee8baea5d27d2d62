#!/usr/bin/env bash
# Fuzzes the scenario loader and a short run with libFuzzer (it ships with the Swift
# toolchain on Linux): any input must give diagnostics or a run that ends, never a trap.
#   Scripts/fuzz.sh [SECONDS]   (default 60; the corpus starts from the shipped scenarios)
# A crash writes fuzz-crash-* in the current folder: add it as a regression test.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
build=.build/fuzz
swift build -c release --target Scenarios -Xswiftc -sanitize=fuzzer --build-path "$build" >/dev/null
objects=$(find "$build/release/SimCore.build" "$build/release/Topology.build" "$build/release/Scenarios.build" -name '*.o')
# shellcheck disable=SC2086
swiftc -O -sanitize=fuzzer -parse-as-library -I "$build/release/Modules" Fuzz/ScenarioFuzz.swift $objects -o "$build/scenario-fuzz"
corpus="$build/corpus"
mkdir -p "$corpus"
cp scenarios/*.json5 "$corpus/"
set +e
"$build/scenario-fuzz" "$corpus" -max_total_time="$seconds" -max_len=8192 -print_final_stats=1 -artifact_prefix=fuzz-crash- \
  > "$build/fuzz.log" 2>&1
status=$?
set -e
grep -E "^stat::|^Done|ERROR|SUMMARY|Fatal error|invariant" "$build/fuzz.log" || true
exit $status
