#!/usr/bin/env bash
# Runs every fuzz target for a while: `bash fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]`
# (default 60 s, every target). Needs cargo-fuzz (`cargo install cargo-fuzz --locked`); on a
# stable toolchain RUSTC_BOOTSTRAP=1 unlocks the sanitizer flag libFuzzer needs.
# The corpora start from the example study (examples/), the small seeds in fuzz/seeds/ and the
# inputs that once crashed (fuzz/regressions/, so each run replays them), and grow in
# fuzz/corpus/ (not committed). A crash leaves its input in fuzz/artifacts/TARGET/ and makes
# this script exit non-zero; `cargo fuzz run TARGET fuzz/artifacts/TARGET/crash-…`
# replays it.
set -Eeuo pipefail
cd "$(dirname "$0")"

seconds=${1:-60}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(study_file items_csv items_xlsx panel_csv responses_csv)
fi
export RUSTC_BOOTSTRAP=1
# --sanitizer none: the parsers are safe Rust, so AddressSanitizer would only slow the build and
# the runs; --debug-assertions makes integer overflows panic, which are bugs too.
flags=(--sanitizer none --debug-assertions)
# The instrumented build of every dependency is long (docs/security.md: from minutes on a quiet
# machine to an hour on a busy one); DELPHI_FUZZ_TARGET_DIR keeps it outside the clone so that
# later runs rebuild only Delphi itself.
if [ -n "${DELPHI_FUZZ_TARGET_DIR:-}" ]; then
  mkdir -p "$DELPHI_FUZZ_TARGET_DIR"
  flags+=(--target-dir "$DELPHI_FUZZ_TARGET_DIR")
fi

example=../examples/lactation-micronutrients
seed() {
  local target=$1; shift
  mkdir -p "corpus/$target"
  for file in "$@"; do
    cp -f "$file" "corpus/$target/"
  done
}
seed study_file "$example/study.toml"
seed items_csv "$example/items.csv"
seed items_xlsx seeds/items_xlsx/* regressions/items_xlsx/*
seed panel_csv "$example/panel.csv"
seed responses_csv seeds/responses_csv/*

started=$(date +%s)
if [ $# -eq 0 ]; then
  cargo fuzz build "${flags[@]}"
else
  for target in "${targets[@]}"; do cargo fuzz build "${flags[@]}" "$target"; done
fi
echo "fuzz build: $(( $(date +%s) - started ))s"

summary=()
failed=0
for target in "${targets[@]}"; do
  log=$(mktemp)
  if cargo fuzz run "${flags[@]}" "$target" "corpus/$target" -- \
      -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 >"$log" 2>&1; then
    runs=$(grep -Eo 'Done [0-9]+ runs' "$log" | tail -n 1 || true)
    summary+=("fuzz $target: ok (${runs:-?} in ${seconds}s)")
  else
    summary+=("fuzz $target: FAILED (input saved under fuzz/artifacts/$target/)")
    failed=1
    grep -E -B 2 -A 30 'panicked|ERROR: libFuzzer|SUMMARY' "$log" | head -n 80 || tail -n 60 "$log"
  fi
  rm -f "$log"
done
printf '%s\n' "${summary[@]}"
exit "$failed"
