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
cp "$u/css/uswds.min.css" "$static/uswds/css/"
cp "$u/js/uswds.min.js" "$u/js/uswds-init.min.js" "$static/uswds/js/"
# The default theme's fonts (Source Sans Pro, Merriweather, Roboto Mono, Public Sans).
cp -r "$u/fonts" "$static/uswds/"
# Images the components reference: top-level images, the icon sprite and background icons.
find "$u/img" -maxdepth 1 -type f -exec cp {} "$static/uswds/img/" \;
cp -r "$u/img/usa-icons-bg" "$static/uswds/img/"
mkdir -p "$static/uswds/img/usa-icons"
for icon in close search language lock warning check_circle error info navigate_next navigate_before \
    unfold_more arrow_upward arrow_downward expand_more expand_less; do
  cp "$u/img/usa-icons/$icon.svg" "$static/uswds/img/usa-icons/"
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
