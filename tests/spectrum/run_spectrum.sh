#!/usr/bin/env bash
# Run by ctest as spectrum_csv: fetch the csv-spectrum suite into the build
# folder when it is not there yet, then compare the CSV layer with it.
#
#   run_spectrum.sh PYTHON3 CHECK_SPECTRUM_PY CSV_DUMP NPM_PREFIX VERSION
#
# The suite is looked for at NPM_PREFIX/node_modules/csv-spectrum (what
# "npm install --prefix NPM_PREFIX csv-spectrum@VERSION" makes). When it is
# missing, npm installs it there, with a short timeout; configuring the build
# never touches the network. When it cannot be had (no npm, no network, the
# registry down) the test exits 77, which ctest reports as skipped, never
# passed; with WR_SPECTRUM_REQUIRED=1 (as in .ci/run) that is a failure.
set -uo pipefail

if [ $# -ne 5 ]; then
  echo "usage: $0 PYTHON3 CHECK_SPECTRUM_PY CSV_DUMP NPM_PREFIX VERSION" >&2
  exit 2
fi
python3=$1 check=$2 dump=$3 prefix=$4 version=$5
suite=$prefix/node_modules/csv-spectrum
install_cmd="npm install --prefix $prefix csv-spectrum@$version"
timeout_s=${WR_SPECTRUM_FETCH_TIMEOUT:-60}

unavailable() {
  echo "csv-spectrum $version is not installed at $suite and cannot be fetched: $1"
  echo "install it with: $install_cmd"
  if [ "${WR_SPECTRUM_REQUIRED:-0}" = 1 ]; then
    echo "FAIL     spectrum_csv: the suite is required here (WR_SPECTRUM_REQUIRED=1)"
    exit 1
  fi
  echo "SKIPPED  spectrum_csv: the conformance suite is not available"
  exit 77
}

if [ ! -d "$suite/csvs" ] || [ ! -d "$suite/json" ]; then
  command -v npm >/dev/null 2>&1 || unavailable "npm is not installed (apt-get install npm)"
  command -v timeout >/dev/null 2>&1 || unavailable "timeout(1) is not installed"
  echo "fetching csv-spectrum $version from the npm registry (at most ${timeout_s}s)"
  # into a fresh folder beside the final one, moved into place only when
  # complete: an interrupted fetch leaves nothing half-installed
  mkdir -p "$prefix" || unavailable "cannot create $prefix"
  tmp=$(mktemp -d "$prefix/.fetch.XXXXXX") || unavailable "cannot create a folder in $prefix"
  trap 'rm -rf "$tmp"' EXIT
  log=$tmp/npm.log
  # --prefer-offline: from npm's cache when it is there, without a request
  if ! timeout --kill-after=5 "$timeout_s" npm install --prefix "$tmp" --no-audit --no-fund \
        --no-update-notifier --no-progress --prefer-offline --fetch-timeout=15000 \
        --fetch-retries=1 --fetch-retry-mintimeout=2000 --fetch-retry-maxtimeout=5000 \
        "csv-spectrum@$version" >"$log" 2>&1; then
    tail -n 5 "$log" | sed 's/^/npm: /'
    unavailable "npm install failed or timed out"
  fi
  if [ ! -d "$tmp/node_modules/csv-spectrum/csvs" ]; then
    unavailable "npm installed no csv-spectrum/csvs folder"
  fi
  mkdir -p "$prefix/node_modules" && rm -rf "$suite" &&
    mv "$tmp/node_modules/csv-spectrum" "$suite" ||
    unavailable "cannot move the suite into $suite"
  rm -rf "$tmp"
  trap - EXIT
fi

exec "$python3" "$check" --dump "$dump" --spectrum "$suite"
