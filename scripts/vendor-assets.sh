#!/usr/bin/env bash
# Vendors the front-end assets PeerPath serves (and the accessibility engine its browser tests
# inject) from the npm registry at pinned versions. No Node is needed at run time.
# Run `make vendor` after changing a version below; commit the result.
set -euo pipefail
USWDS_VERSION=3.9.0
HTMX_VERSION=2.0.11
AXE_VERSION=4.14.1

root="$(cd "$(dirname "$0")/.." && pwd)"
static="$root/peerpath/core/static/vendor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$work"
npm pack --silent "@uswds/uswds@$USWDS_VERSION" "htmx.org@$HTMX_VERSION" "axe-core@$AXE_VERSION" >/dev/null
for t in *.tgz; do mkdir -p "${t%.tgz}" && tar xzf "$t" -C "${t%.tgz}"; done

rm -rf "$static/uswds" "$static/htmx"
mkdir -p "$static/uswds/css" "$static/uswds/js" "$static/uswds/img" "$static/htmx"
u="uswds-uswds-$USWDS_VERSION/package/dist"
cp "$u/css/uswds.min.css" "$u/css/uswds.min.css.map" "$static/uswds/css/"
cp "$u/js/uswds.min.js" "$u/js/uswds.min.js.map" "$u/js/uswds-init.min.js" \
  "$u/js/uswds-init.min.js.map" "$static/uswds/js/"
# The default theme's fonts (Source Sans Pro, Merriweather, Roboto Mono, Public Sans).
cp -r "$u/fonts" "$static/uswds/"
# Images the components reference: top-level images, the icon sprite and background icons.
find "$u/img" -maxdepth 1 -type f -exec cp {} "$static/uswds/img/" \;
cp -r "$u/img/usa-icons-bg" "$static/uswds/img/"
mkdir -p "$static/uswds/img/usa-icons"
# Every icon the stylesheet points at (the production static storage refuses a missing one),
icons="$(grep -o 'usa-icons/[a-z0-9_]*\.svg' "$u/css/uswds.min.css" | sort -u | sed 's|usa-icons/||')"
# and the ones our pages use directly or through the USWDS script.
for icon in $icons close.svg search.svg language.svg lock.svg warning.svg check_circle.svg error.svg \
    info.svg navigate_next.svg navigate_before.svg unfold_more.svg arrow_upward.svg \
    arrow_downward.svg expand_more.svg expand_less.svg; do
  cp "$u/img/usa-icons/$icon" "$static/uswds/img/usa-icons/"
done
cp "htmx.org-$HTMX_VERSION/package/dist/htmx.min.js" "$static/htmx/"
mkdir -p "$root/tests/browser/vendor"
cp "axe-core-$AXE_VERSION/package/axe.min.js" "$root/tests/browser/vendor/"

cat > "$static/VERSIONS.txt" <<TXT
@uswds/uswds $USWDS_VERSION
htmx.org $HTMX_VERSION
axe-core $AXE_VERSION (tests/browser/vendor)
TXT
echo "vendored: uswds $USWDS_VERSION, htmx $HTMX_VERSION, axe-core $AXE_VERSION"
