#!/usr/bin/env bash
# Retakes the pictures in docs/screenshots/ from the real pages, in headless Chromium:
#   - <page>-<language>-<width>.png: the rating form, the round-2 page with feedback, the study
#     dashboard, a round's results and the report, at 390 px and 1280 px, from a study answered
#     with the demo's made-up answers (tests/it/pages_in_a_browser.rs);
#   - guide-NN-*.png: the getting-started guide's walk (tests/it/whole_study_in_a_browser.rs);
#   - after-rating-*: a round-2 item before and after it is rated (tests/it/after_rating_in_a_browser.rs);
#   - criteria-*, criterion-scale-*, chnri-*, ranking-*, ideas-*: the priority-setting pages, from
#     their browser tests (tests/it/{criteria,criterion_scales,chnri,ranking,ideas}_in_a_browser.rs);
#   - login-refused-*, cross-site-refused-*: the refused sign-in and cross-site post
#     (tests/it/cross_site_in_a_browser.rs);
#   - sender-check-*: the Accounts page's sender check (tests/it/sender_check_in_a_browser.rs).
# Needs Debian's chromium and chromium-driver, and axe-core (both walks also check
# accessibility); it installs axe-core with npm when DELPHI_AXE_JS is not set.
#
#   bash scripts/screenshots.sh
set -Eeuo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromedriver >/dev/null 2>&1 || ! command -v chromium >/dev/null 2>&1; then
  echo "needs chromium and chromium-driver: apt-get install -y chromium chromium-driver" >&2
  exit 1
fi
if [ -z "${DELPHI_AXE_JS:-}" ]; then
  axe_dir="${XDG_CACHE_HOME:-$HOME/.cache}/delphi-ci/axe"
  if [ ! -f "$axe_dir/node_modules/axe-core/axe.min.js" ]; then
    npm install --silent --no-audit --no-fund --prefix "$axe_dir" axe-core@4
  fi
  export DELPHI_AXE_JS="$axe_dir/node_modules/axe-core/axe.min.js"
fi

out="$PWD/docs/screenshots"
mkdir -p "$out"
DELPHI_SCREENSHOTS="$out" cargo test --features browser-tests --test it pages_in_a_browser
DELPHI_GUIDE_SHOTS="$out" cargo test --features browser-tests --test it whole_study_in_a_browser
DELPHI_SCREENSHOTS="$out" cargo test --features browser-tests --test it -- \
  criteria_in_a_browser criterion_scales_in_a_browser chnri_in_a_browser ranking_in_a_browser ideas_in_a_browser \
  after_rating_in_a_browser cross_site_in_a_browser sender_check_in_a_browser
echo "pictures written to docs/screenshots/"
