#!/usr/bin/env bash
# The full-disk scenario on a real 2 MiB tmpfs: needs root (mount), so it is not part of `npm test`;
# .ci/run calls it after the test suite. Prints "fulldisk: N passed, M failed" last; always unmounts.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ "$(id -u)" -ne 0 ]; then
  echo "fulldisk: skipped (needs root to mount a tmpfs)" >&2
  exit 1
fi
[ -f dist/index.js ] || npm run --silent build
work="$(mktemp -d)"
disk="$work/disk"
mkdir "$disk"
cleanup() {
  umount "$disk" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
mount -t tmpfs -o size=2m tmpfs "$disk"
node test/fulldisk/driver.mjs "$disk" "$work"
