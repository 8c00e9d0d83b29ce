#!/usr/bin/env bash
# The test command: installs what is missing, builds, runs the unit, fuzz and system suites.
# Usage: sudo scripts/run-tests.sh [--suite unit|fuzz|system]... [meson test args]
# Each suite runs once where it finds the most, except the quick unit suite, which runs twice
# (about 26 minutes from a fresh clone on a 2-core host; CI, .ci/run, runs exactly this):
#   build/       the plain build (the one ./testbed runs): the unit suite
#   build-asan/  the control plane built with ASan + UBSan (testbed-pmd as shipped, see
#                pmd/meson.build; any finding, error, UB or leak, fails the test): the unit
#                suite, the fuzz replays, then the system suite, without leak checks there (the
#                processes `up` leaves running are killed, not exited)
# --suite S (again for more) runs only the steps of those suites, in the builds they need:
# `--suite unit --suite fuzz` takes seconds once built, `--suite system` about 22 minutes. Other
# arguments go to every `meson test` (test names, -v, --repeat N, -t TIMEOUT_MULTIPLIER).
# Build directories: TESTBED_BUILD_DIR, TESTBED_ASAN_BUILD_DIR.
set -eu
top=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
plain=${TESTBED_BUILD_DIR:-$top/build}
asan=${TESTBED_ASAN_BUILD_DIR:-$top/build-asan}
suites=()
args=()
while [ $# -gt 0 ]; do
	case $1 in
	--suite | --suite=*)
		if [ "$1" = --suite ]; then
			s=${2:-}
			shift $(($# < 2 ? 1 : 2))
		else
			s=${1#--suite=}
			shift
		fi
		case $s in
		unit | fuzz | system) suites+=("$s") ;;
		*)
			echo "run-tests: bad --suite \"$s\" (allowed: unit, fuzz, system)" >&2
			exit 2
			;;
		esac
		;;
	*)
		args+=("$1")
		shift
		;;
	esac
done
wants() {
	local s
	[ ${#suites[@]} -eq 0 ] && return 0
	for s in "${suites[@]}"; do
		[ "$s" = "$1" ] && return 0
	done
	return 1
}

failed=()
summary=()
n_pass=0
n_fail=0
# run_suite BUILD_DIR SUITE [VAR=VALUE...]: one meson test run, its outcome kept for the end
run_suite() {
	local build=$1 suite=$2 t0=$SECONDS rc=0
	shift 2
	echo "run-tests: the $suite suite on $(basename "$build")"
	env "$@" meson test -C "$build" --print-errorlogs --suite "$suite" ${args[@]+"${args[@]}"} ||
		rc=$?
	summary+=("$(printf '%-7s on %-11s %s, %d s' "$suite" "$(basename "$build")" \
		"$([ $rc -eq 0 ] && echo ok || echo "FAILED (exit $rc)")" $((SECONDS - t0)))")
	[ $rc -eq 0 ] || failed+=("$suite on $(basename "$build")")
	# the tests this run counted (meson's log of it), for the closing line
	if [ -f "$build/meson-logs/testlog.json" ]; then
		n_pass=$((n_pass + $(jq -s '[.[] | select(.result == "OK" or .result == "SKIP" or
			.result == "EXPECTEDFAIL")] | length' "$build/meson-logs/testlog.json")))
		n_fail=$((n_fail + $(jq -s '[.[] | select(.result != "OK" and .result != "SKIP" and
			.result != "EXPECTEDFAIL")] | length' "$build/meson-logs/testlog.json")))
	fi
	[ $rc -eq 0 ] || [ $n_fail -gt 0 ] || n_fail=$((n_fail + 1))
}

"$top/scripts/install-deps.sh"
if wants unit; then
	[ -f "$plain/build.ninja" ] || meson setup "$plain" "$top"
	ninja -C "$plain"
	run_suite "$plain" unit
fi

# every suite runs on the sanitized build
# b_lundef=false: clang's sanitizer runtimes leave symbols for the executable to define.
[ -f "$asan/build.ninja" ] ||
	meson setup "$asan" "$top" -Db_sanitize=address,undefined -Db_lundef=false
ninja -C "$asan"
# abort_on_error: a finding is a crash meson reports even where a test ignores exit codes
asan_opts=halt_on_error=1:abort_on_error=1:detect_leaks=1:detect_stack_use_after_return=1
asan_opts=$asan_opts:strict_string_checks=1:check_initialization_order=1
san_env=(UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1
	LSAN_OPTIONS=suppressions=$top/tests/sanitizers/lsan.supp:print_suppressions=0
	# one process per test program, no fork per case: a finding aborts the test
	CK_FORK=no)
if wants unit; then
	run_suite "$asan" unit ASAN_OPTIONS=$asan_opts "${san_env[@]}"
fi
if wants fuzz; then
	run_suite "$asan" fuzz ASAN_OPTIONS=$asan_opts "${san_env[@]}"
	# libFuzzer (clang only): every fuzz target for a fixed budget (15 s each) in a clang build
	# of its own, build-fuzz, where only the targets are built; a finding fails the test.
	# TESTBED_FUZZ=0 leaves it out.
	if [ "${TESTBED_FUZZ:-1}" != 0 ] && command -v clang >/dev/null; then
		fuzz=${TESTBED_FUZZ_BUILD_DIR:-$top/build-fuzz}
		[ -f "$fuzz/build.ninja" ] || CC=clang meson setup "$fuzz" "$top" >/dev/null
		ninja -C "$fuzz" $(ninja -C "$fuzz" -t targets all |
			sed -n 's|^\(tests/fuzz/fuzz-[a-z0-9]*\): .*|\1|p' | sort -u)
		args+=(--no-rebuild)
		run_suite "$fuzz" fuzz
		unset 'args[${#args[@]}-1]'
	elif [ "${TESTBED_FUZZ:-1}" != 0 ]; then
		echo "run-tests: no clang: the libFuzzer runs are left out (the replays ran)"
	fi
fi
if wants system; then
	run_suite "$asan" system ASAN_OPTIONS=$asan_opts:detect_leaks=0 "${san_env[@]}"
fi

printf 'run-tests: %s\n' "${summary[@]}"
echo "run-tests: $((SECONDS / 60)) min $((SECONDS % 60)) s in all"
echo "run-tests: $n_pass passed, $n_fail failed"
if [ ${#failed[@]} -gt 0 ]; then
	echo "run-tests: FAILED: ${failed[*]}" >&2
	exit 1
fi
