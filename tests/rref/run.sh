#!/bin/sh
# run.sh - the R reference test: rref_dump writes data and this code's
# estimates, check.R compares them with R's survival package.
#   run.sh RREF_DUMP OUTPUT_FOLDER CHECK_R
# Exits 77 (ctest: skipped) when Rscript or the survival package is missing.
set -eu
if [ $# -ne 3 ]; then
	echo "usage: run.sh RREF_DUMP OUTPUT_FOLDER CHECK_R" >&2
	exit 2
fi
dump=$1 out=$2 check=$3
if ! command -v Rscript >/dev/null 2>&1; then
	echo "SKIPPED: Rscript not found"
	exit 77
fi
if ! Rscript --vanilla -e 'quit(status = !requireNamespace("survival", quietly = TRUE))' \
	>/dev/null 2>&1; then
	echo "SKIPPED: R package survival not installed"
	exit 77
fi
rm -rf "$out"
mkdir -p "$out"
"$dump" "$out"
exec Rscript --vanilla "$check" "$out"
