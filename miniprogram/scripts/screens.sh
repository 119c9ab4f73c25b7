#!/usr/bin/env bash
# screens makes the pictures of the mini-program's pages in docs/screens/: jest walks the pages on the
# demo park with SCREENS=1 (scripts/screens.test.js), which writes each rendered page as HTML under
# .cache/screens/, then headless Chromium shoots each at a 375 × 812 phone screen, twice the pixels,
# and pngquant (or pngcrush) makes the PNG small. Optional, by hand, not in CI; needs
# `apt-get install -y chromium fonts-wqy-microhei pngquant`.
#
#   npm run screens                    walk the pages and shoot them all
#   npm run screens -- --shoot-only    shoot the HTML already in .cache/screens (after SCREENS=1 npx jest …)
#   npm run screens -- hazard-detail   walk, then shoot only the named pictures
set -euo pipefail
cd "$(dirname "$0")/.."

cache=.cache/screens
out=docs/screens
walk=1
names=()
for arg in "$@"; do
  case "$arg" in
    --shoot-only) walk=0 ;;
    -*) echo "screens: unknown option $arg" >&2; exit 2 ;;
    *) names+=("$arg") ;;
  esac
done

browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [[ -z "$browser" ]]; then
  echo "screens: no Chromium; apt-get install -y chromium fonts-wqy-microhei" >&2
  exit 1
fi
if ! fc-list 2>/dev/null | grep -qi 'WenQuanYi Micro Hei'; then
  echo "screens: fonts-wqy-microhei is missing: Chinese text would be drawn as boxes" >&2
  exit 1
fi

if [[ $walk == 1 ]]; then
  rm -rf "$cache"
  SCREENS=1 npx jest --ci --config scripts/screens.jest.config.js
fi
if [[ ${#names[@]} == 0 ]]; then
  for f in "$cache"/*.html; do names+=("$(basename "$f" .html)"); done
fi

profile=$(mktemp -d)
# shoot runs headless Chromium offline with a fresh profile, quietly.
shoot() {
  "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --hide-scrollbars --user-data-dir="$profile/chromium" "$@" 2>/dev/null
}
trap 'rm -rf "$profile"' EXIT
mkdir -p "$out"
for name in "${names[@]}"; do
  html="$cache/$name.html"
  [[ -f $html ]] || { echo "screens: no $html" >&2; exit 1; }
  raw="$profile/$name.png"
  height=812
  if grep -q '<body[^>]* data-full' "$html"; then
    # A long screenshot: the page measures itself first (data-height on body).
    measured=$(shoot --dump-dom "file://$PWD/$html" | grep -o 'data-height="[0-9]*"' | grep -o '[0-9]*' || true)
    if [[ -n $measured ]] && ((measured > height)); then height=$measured; fi
  fi
  shoot --window-size=375,$height --force-device-scale-factor=2 --screenshot="$raw" "file://$PWD/$html" >/dev/null
  [[ -s $raw ]] || { echo "screens: Chromium wrote no picture of $name" >&2; exit 1; }
  if command -v pngquant >/dev/null; then
    pngquant --force --skip-if-larger --quality=70-95 --speed 1 --strip --output "$out/$name.png" "$raw" || cp "$raw" "$out/$name.png"
  elif command -v pngcrush >/dev/null; then
    pngcrush -q -brute -rem alla "$raw" "$out/$name.png"
  else
    cp "$raw" "$out/$name.png"
  fi
  printf '%-24s %6d bytes\n' "$name.png" "$(stat -c %s "$out/$name.png")"
done
