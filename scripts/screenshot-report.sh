#!/usr/bin/env bash
# Builds a sample HTML report with the offline CLI and screenshots it in headless Chromium, to
# check that the inline SVG charts render under the report's strict Content-Security-Policy.
#   scripts/screenshot-report.sh [OUT.png]      (default: dist/report/report.png, git-ignored)
# Also writes OUT.pdf (Chromium's print output) to check the print layout, and keeps the HTML
# next to them as OUT.html. Needs Debian's `chromium` (apt-get install -y chromium) or
# CHROMIUM=/path/to/chrome.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$(realpath -m "${1:-$ROOT/dist/report/report.png}")
BASE=${OUT%.png}
mkdir -p "$(dirname "$OUT")"
CHROMIUM=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
if [ -z "$CHROMIUM" ]; then
  echo "chromium not found: install it (sudo apt-get install -y chromium) or set CHROMIUM=/path/to/chrome" >&2
  exit 1
fi

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

cd "$ROOT"
if ! npx tsc -p tsconfig.build.json >"$TMP/tsc.log" 2>&1; then
  echo "warning: the build reported errors (see below); using what it emitted" >&2
  head -20 "$TMP/tsc.log" >&2
fi
node scripts/make-sample-runs.mjs "$TMP/runs" "$TMP/campaigns.json" >/dev/null
node bin/apollo-dashboard.js report --format html --period 30d --now 2026-11-24T12:00:00Z \
  --campaigns "$TMP/campaigns.json" --out "$BASE.html" "$TMP"/runs/*.json

CHROME_FLAGS=(
  --headless --no-sandbox --disable-gpu --disable-quic --no-first-run
  --disable-background-networking --disable-component-update --disable-sync
  --hide-scrollbars --user-data-dir="$TMP/profile"
  # Console messages (a CSP violation among them) go to the log checked below.
  --enable-logging=stderr --v=0
)
"$CHROMIUM" "${CHROME_FLAGS[@]}" --window-size=1280,4700 --screenshot="$OUT" "file://$BASE.html" \
  >"$TMP/chromium.log" 2>&1 || { cat "$TMP/chromium.log" >&2; exit 1; }
"$CHROMIUM" "${CHROME_FLAGS[@]}" --no-pdf-header-footer --print-to-pdf="$BASE.pdf" "file://$BASE.html" \
  >>"$TMP/chromium.log" 2>&1 || { cat "$TMP/chromium.log" >&2; exit 1; }
if grep -qi 'violates the following Content Security Policy' "$TMP/chromium.log"; then
  echo "Chromium reported a Content-Security-Policy violation:" >&2
  grep -i 'violates the following Content Security Policy' "$TMP/chromium.log" >&2
  exit 1
fi
echo "Screenshot: $OUT"
echo "Print (PDF): $BASE.pdf"
echo "Report:      $BASE.html"
