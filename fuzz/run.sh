#!/usr/bin/env bash
# Runs every fuzz target for a while: `bash fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]`
# (default 60 s, every target). Needs cargo-fuzz (`cargo install cargo-fuzz --locked`); on a
# stable toolchain RUSTC_BOOTSTRAP=1 unlocks the compiler flags libFuzzer needs.
# The corpora start from the example study (examples/), the small seeds in fuzz/seeds/ and the
# inputs that once crashed (fuzz/regressions/, so each run replays them; `cargo test` replays
# them too, tests/it/fuzz_corpus.rs), and grow in fuzz/corpus/ (not committed). A crash leaves
# its input in fuzz/artifacts/TARGET/ and makes this script exit 1; replay it with
# `RUSTC_BOOTSTRAP=1 cargo fuzz run --dev --sanitizer none TARGET fuzz/artifacts/TARGET/crash-…`.
#
# DELPHI_FUZZ_TARGET_DIR: where the instrumented build goes (default fuzz/target); a folder that
#   outlives the clone makes later builds recompile Delphi only.
# DELPHI_FUZZ_DEADLINE: a time (seconds since the epoch) not to run past. The build is stopped
#   at it, and the runs share what is left (at most SECONDS_PER_TARGET each, at least
#   DELPHI_FUZZ_MIN_RUN_SECS, default 5; the targets that do not fit are not run). When the build
#   does not finish in time, or no target fits, the script exits 75, a skip, not a failure.
set -Eeuo pipefail
cd "$(dirname "$0")"

seconds=${1:-60}
shift || true
targets=("$@")
all=0
if [ ${#targets[@]} -eq 0 ]; then
  all=1
  targets=(study_file items_csv items_xlsx panel_csv responses_csv forwarded_headers trusted_proxies setup_form
    ranking_form chnri_form)
fi
deadline=${DELPHI_FUZZ_DEADLINE:-}
min_run=${DELPHI_FUZZ_MIN_RUN_SECS:-5}
SKIPPED=75

export RUSTC_BOOTSTRAP=1
# --dev: the profile in fuzz/Cargo.toml (opt-level 1, debug assertions and overflow checks on:
# an overflow is a bug too), a build several times shorter than cargo-fuzz's release build with
# one codegen unit (CONTRIBUTING.md has both times). --sanitizer none: the parsers are safe
# Rust, so AddressSanitizer would only slow the build and the runs.
flags=(--dev --sanitizer none)
if [ -n "${DELPHI_FUZZ_TARGET_DIR:-}" ]; then
  mkdir -p "$DELPHI_FUZZ_TARGET_DIR"
  flags+=(--target-dir "$DELPHI_FUZZ_TARGET_DIR")
fi

# Seconds left before the deadline (a large number without one).
left() {
  if [ -n "$deadline" ]; then echo $((deadline - $(date +%s))); else echo 999999; fi
}

example=../examples/lactation-micronutrients
seed() {
  local target=$1; shift
  mkdir -p "corpus/$target"
  for file in "$@"; do
    cp -f "$file" "corpus/$target/"
  done
}
# The same inputs as tests/it/fuzz_corpus.rs replays.
seed study_file "$example/study.toml"
seed items_csv "$example/items.csv"
seed panel_csv "$example/panel.csv"
for target in "${targets[@]}"; do
  for dir in seeds regressions; do
    if [ -d "$dir/$target" ]; then seed "$target" "$dir/$target"/*; fi
  done
done

started=$(date +%s)
build_status=0
if [ "$(left)" -le 0 ]; then
  echo "fuzz build: not started, no time left in the budget"
  exit "$SKIPPED"
fi
if [ "$all" -eq 1 ]; then
  # One cargo invocation: Delphi is compiled once for every target.
  timeout -k 10 "$(left)" cargo fuzz build "${flags[@]}" || build_status=$?
else
  for target in "${targets[@]}"; do
    timeout -k 10 "$(left)" cargo fuzz build "${flags[@]}" "$target" || build_status=$?
    [ "$build_status" -eq 0 ] || break
  done
fi
if [ "$build_status" -eq 124 ] || [ "$build_status" -eq 137 ]; then
  echo "fuzz build: not finished within the budget ($(( $(date +%s) - started )) s)"
  exit "$SKIPPED"
elif [ "$build_status" -ne 0 ]; then
  echo "fuzz build: FAILED"
  exit 1
fi
echo "fuzz build: $(( $(date +%s) - started )) s"

summary=()
failed=0
ran=0
remaining=${#targets[@]}
for target in "${targets[@]}"; do
  # How many of the targets left fit in the time left, each at least min_run seconds plus 10 s
  # for cargo's check and libFuzzer's start and exit; those share it evenly, in order.
  now_left=$(left)
  fit=$((now_left / (min_run + 10)))
  fit=$((fit < remaining ? fit : remaining))
  remaining=$((remaining - 1))
  if [ "$fit" -le 0 ]; then
    summary+=("fuzz $target: not run, no time left in the budget")
    continue
  fi
  share=$(((now_left - 10 * fit) / fit))
  run=$((share < seconds ? share : seconds))
  log=$(mktemp)
  status=0
  timeout -k 10 $((run + 60)) cargo fuzz run "${flags[@]}" "$target" "corpus/$target" -- \
    -max_total_time="$run" -max_len=65536 -timeout=10 -rss_limit_mb=2048 >"$log" 2>&1 || status=$?
  if [ "$status" -eq 0 ]; then
    runs=$(grep -Eo 'Done [0-9]+ runs' "$log" | tail -n 1 || true)
    summary+=("fuzz $target: ok (${runs:-?} in ${run} s)")
    ran=$((ran + 1))
  else
    summary+=("fuzz $target: FAILED (exit $status; input saved under fuzz/artifacts/$target/)")
    failed=1
    grep -E -B 2 -A 30 'panicked|ERROR: libFuzzer|SUMMARY' "$log" | head -n 80 || tail -n 60 "$log"
  fi
  rm -f "$log"
done
printf '%s\n' "${summary[@]}"
if [ "$failed" -ne 0 ]; then exit 1; fi
if [ "$ran" -eq 0 ]; then
  echo "fuzz runs: not run, no time left in the budget"
  exit "$SKIPPED"
fi
exit 0
