#!/usr/bin/env bash
# The test command: installs what is missing, builds, runs unit and system tests.
# Usage: sudo scripts/run-tests.sh [meson test args, e.g. --suite unit]
set -eu
top=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
build=${TESTBED_BUILD_DIR:-$top/build}
"$top/scripts/install-deps.sh"
[ -f "$build/build.ninja" ] || meson setup "$build" "$top"
ninja -C "$build"
exec meson test -C "$build" --print-errorlogs "$@"
