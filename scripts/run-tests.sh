#!/usr/bin/env bash
# The test command: installs what is missing, builds, runs unit and system tests.
# Usage: sudo scripts/run-tests.sh [--sanitize] [meson test args, e.g. --suite unit]
#   (without --sanitize, where clang is installed: the fuzz targets under libFuzzer, 15 s each)
#   --sanitize  build build-asan (ASan + UBSan) and run the unit suite there instead; any
#               finding (error, UB, leak) fails the test. With TESTBED_SANITIZE_SYSTEM=1 the
#               system suite runs too, on the sanitized binaries, without leak checks (the
#               processes `up` leaves running are killed, not exited).
set -eu
top=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
build=${TESTBED_BUILD_DIR:-$top/build}
sanitize=0
if [ "${1:-}" = --sanitize ]; then
	sanitize=1
	shift
	build=${TESTBED_ASAN_BUILD_DIR:-$top/build-asan}
fi
"$top/scripts/install-deps.sh"
if [ $sanitize -eq 0 ]; then
	[ -f "$build/build.ninja" ] || meson setup "$build" "$top"
	ninja -C "$build"
	meson test -C "$build" --print-errorlogs "$@"
	# libFuzzer (clang only) on every fuzz target for 15 s each, in a clang build of its own
	# (build-fuzz): any finding fails the test command. TESTBED_FUZZ=0 leaves it out.
	if [ "${TESTBED_FUZZ:-1}" = 0 ]; then
		exit 0
	elif ! command -v clang >/dev/null; then
		echo "run-tests: no clang: libFuzzer runs skipped"
		exit 0
	fi
	fuzz=${TESTBED_FUZZ_BUILD_DIR:-$top/build-fuzz}
	[ -f "$fuzz/build.ninja" ] || CC=clang meson setup "$fuzz" "$top"
	ninja -C "$fuzz"
	exec meson test -C "$fuzz" --print-errorlogs --suite fuzz
fi

# b_lundef=false: clang's sanitizer runtimes leave symbols for the executable to define.
[ -f "$build/build.ninja" ] ||
	meson setup "$build" "$top" -Db_sanitize=address,undefined -Db_lundef=false
ninja -C "$build"
# abort_on_error: a finding is a crash meson reports even where a test ignores exit codes
export ASAN_OPTIONS=halt_on_error=1:abort_on_error=1:detect_leaks=1:detect_stack_use_after_return=1:strict_string_checks=1:check_initialization_order=1
export UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1
export LSAN_OPTIONS=suppressions=$top/tests/sanitizers/lsan.supp:print_suppressions=0
# one process per test program, no fork per case: a finding aborts the test, its report in the log
export CK_FORK=no
meson test -C "$build" --print-errorlogs --suite unit "$@"
if [ "${TESTBED_SANITIZE_SYSTEM:-0}" = 1 ]; then
	ASAN_OPTIONS=$ASAN_OPTIONS:detect_leaks=0 \
		meson test -C "$build" --print-errorlogs --suite system "$@"
fi
