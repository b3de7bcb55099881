#!/usr/bin/env bash
# Look at the workbook as its reader would: build it from samples/ and from a
# generated set of 5,000 employees, print both to PDF with LibreOffice and to
# one PNG per page with pdftoppm, and check that every sheet printed with its
# footer. Open WORK/<set>/page-*.png to see them.
#
#   look.sh --tool workforce-report --gen workforce-gen --samples DIR --work DIR
#
# Exits 77 (ctest: skipped) when LibreOffice or poppler-utils is not there:
#   apt-get install libreoffice-calc-nogui poppler-utils
set -euo pipefail

tool= gen= samples= work=
while [ $# -gt 0 ]; do
	case $1 in
	--tool) tool=$2; shift 2 ;;
	--gen) gen=$2; shift 2 ;;
	--samples) samples=$2; shift 2 ;;
	--work) work=$2; shift 2 ;;
	*) echo "look.sh: unknown argument $1" >&2; exit 64 ;;
	esac
done
[ -n "$tool" ] && [ -n "$gen" ] && [ -n "$samples" ] && [ -n "$work" ] || {
	echo "usage: look.sh --tool PATH --gen PATH --samples DIR --work DIR" >&2; exit 64; }

office=$(command -v libreoffice || command -v soffice || true)
if [ -z "$office" ] || ! command -v pdftoppm >/dev/null || ! command -v pdftotext >/dev/null; then
	echo "look.sh: skipped: needs LibreOffice (libreoffice-calc-nogui) and poppler-utils"
	exit 77
fi

rm -rf "$work"
mkdir -p "$work"
export SOURCE_DATE_EPOCH=1719792000
"$gen" --employees 5000 --seed 1 --as-of 2026-06-30 --out "$work/gen5k-input" >/dev/null
"$tool" --quiet --input "$samples" --since 2022 --as-of 2026-06-30 --output "$work/samples.xlsx"
"$tool" --quiet --input "$work/gen5k-input" --since 2022 --as-of 2026-06-30 \
	--output "$work/gen5k.xlsx"

sheets=("Time to Promotion" "IC vs Management" "Promotions" "Transfers" "Retention"
	"Secondments" "Interns" "Data Quality" "About")
status=0
for set in samples gen5k; do
	out="$work/$set"
	mkdir -p "$out"
	# a profile of its own: a LibreOffice already running elsewhere does not interfere
	timeout 240 "$office" -env:UserInstallation="file://$work/lo-profile" --headless \
		--convert-to pdf --outdir "$out" "$work/$set.xlsx" >/dev/null 2>&1 || true
	pdf="$out/$set.pdf"
	if [ ! -s "$pdf" ]; then
		echo "look.sh: LibreOffice could not convert $set.xlsx" >&2
		status=1
		continue
	fi
	pdftoppm -png -r 70 "$pdf" "$out/page"
	pages=$(ls "$out"/page-*.png | wc -l)
	text=$(pdftotext -layout "$pdf" -)
	for sheet in "${sheets[@]}"; do
		if ! grep -q "^ *$sheet  .*Page [0-9]* of $pages .*Confidential" <<<"$text"; then
			echo "look.sh: $set: no page of '$sheet' with its footer" >&2
			status=1
		fi
	done
	echo "look.sh: $set.xlsx: $pages pages in $out (page-1.png is the Summary)"
done
exit $status
