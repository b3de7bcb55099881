#!/usr/bin/env bash
# Build the Debian package from a configured and built build folder, and
# check it the way an administrator would meet it:
#
#   tests/install/check_package.sh BUILD_DIR [WORK_DIR]
#
#  1. cpack -G DEB makes exactly one .deb (in WORK_DIR, default
#     BUILD_DIR/install-check: nothing else in the build folder changes);
#  2. dpkg-deb -I: name, version, maintainer, section, a description, and
#     Depends naming the runtime libraries, including every shared library
#     the binaries link (found with objdump and dpkg -S);
#  3. dpkg-deb -c: every file where README.md, "Installing", says it goes;
#  4. dpkg -x into a throwaway root: the packaged binary prints its version
#     and licence, and writes a workbook from the packaged samples
#     (--as-of 2026-06-30, exit 0, an .xlsx written);
#  5. the manual page renders without warnings (man -l, or groff), has its
#     sections, and mentions every option that --help lists and every exit
#     code of --help's table;
#  6. bash completion offers every option of --help and the values of
#     --date-format, --km-ci and --as-of;
#  7. the example systemd units run the packaged binary on the quarterly
#     calendar.
#
# Prints one line per check and "N passed, N failed"; exits 1 if a check
# failed, 77 (ctest: skipped) when cpack, dpkg-deb or a man page renderer
# is missing. Run by .ci/run after the tests, and by ctest as install_package
# (label install).
set -uo pipefail

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: $0 BUILD_DIR [WORK_DIR]" >&2
  exit 2
fi
build=$(cd "$1" && pwd) || exit 2
work=${2:-$build/install-check}
AS_OF=2026-06-30

skip() {
  echo "SKIPPED  install check: $*"
  exit 77
}
[ -f "$build/CPackConfig.cmake" ] || { echo "FAIL     $build/CPackConfig.cmake not found: configure first"; exit 1; }
command -v cpack >/dev/null 2>&1 || skip "cpack not found (apt-get install cmake)"
command -v dpkg-deb >/dev/null 2>&1 || skip "dpkg-deb not found (a Debian system is needed)"
command -v dpkg >/dev/null 2>&1 || skip "dpkg not found (a Debian system is needed)"
if command -v man >/dev/null 2>&1 && command -v col >/dev/null 2>&1; then
  renderer=man
elif command -v groff >/dev/null 2>&1; then
  renderer=groff
else
  skip "neither man (apt-get install man-db) nor groff found"
fi

passed=0 failed=0
ok() { echo "ok       $*"; passed=$((passed + 1)); }
fail() { echo "FAIL     $*"; failed=$((failed + 1)); }
finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ] && exit 0
  echo "(work folder kept: $work)"
  exit 1
}

rm -rf "$work" && mkdir -p "$work/pkg" "$work/root" "$work/out" || { echo "FAIL     cannot create $work"; exit 1; }
export LC_ALL=C.UTF-8

# --- 1. the package -----------------------------------------------------------
if ! cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/pkg" >"$work/cpack.log" 2>&1; then
  cat "$work/cpack.log"
  fail "cpack -G DEB failed"
  finish
fi
debs=("$work"/pkg/*.deb)
if [ ${#debs[@]} -ne 1 ] || [ ! -f "${debs[0]}" ]; then
  cat "$work/cpack.log"
  fail "cpack made ${#debs[@]} .deb files, expected one"
  finish
fi
deb=${debs[0]}
ok "cpack -G DEB made $(basename "$deb")"

# --- 2. control fields --------------------------------------------------------
field() { dpkg-deb -f "$deb" "$1"; }
dpkg-deb -I "$deb" >"$work/info.txt" 2>&1 || fail "dpkg-deb -I cannot read the package"
version=$(field Version)
[ "$(field Package)" = workforce-report ] && ok "Package: workforce-report" ||
  fail "Package is '$(field Package)', expected workforce-report"
[ "$(field Maintainer)" = "workforce-report authors <noreply@example.invalid>" ] &&
  ok "Maintainer: $(field Maintainer)" || fail "Maintainer is '$(field Maintainer)'"
[ "$(field Section)" = utils ] && ok "Section: utils" || fail "Section is '$(field Section)', expected utils"
[ -n "$(field Architecture)" ] && ok "Architecture: $(field Architecture)" || fail "no Architecture"
desc=$(field Description)
[ "$(printf '%s\n' "$desc" | wc -l)" -ge 3 ] && ok "Description: $(printf '%s\n' "$desc" | head -n 1)" ||
  fail "Description has no long description: '$desc'"
depends=$(field Depends)
# the package names, without versions and alternatives
dep_names=" $(printf '%s' "$depends" | tr ',|' '\n\n' | sed 's/(.*)//; s/^ *//; s/ *$//' | tr '\n' ' ') "
for lib in libc6 libcsv3 libxlsxwriter4 libgsl27 libgslcblas0 libjansson4; do
  case $dep_names in
    *" $lib "*) ok "Depends names $lib" ;;
    *) fail "Depends does not name $lib: $depends" ;;
  esac
done

# --- 3. the files ---------------------------------------------------------------
dpkg-deb -c "$deb" | awk '{print $NF}' | sed 's|^\./|/|' >"$work/contents.txt"
for path in /usr/bin/workforce-report /usr/bin/workforce-gen \
            /usr/share/man/man1/workforce-report.1 \
            /usr/share/bash-completion/completions/workforce-report \
            /usr/share/doc/workforce-report/README.md /usr/share/doc/workforce-report/LICENSE \
            /usr/share/doc/workforce-report/samples/README.md \
            /usr/share/doc/workforce-report/samples/roles.csv \
            /usr/share/doc/workforce-report/examples/workforce-report.service \
            /usr/share/doc/workforce-report/examples/workforce-report.timer; do
  grep -qxF "$path" "$work/contents.txt" && ok "contains $path" || fail "does not contain $path"
done
for f in "$(dirname "$0")"/../../samples/*.csv; do
  path=/usr/share/doc/workforce-report/samples/$(basename "$f")
  grep -qxF "$path" "$work/contents.txt" || fail "does not contain $path"
done
outside=$(grep -v -e '^/$' -e '^/usr/$' -e '^/usr/bin/' -e '^/usr/share/' "$work/contents.txt" || true)
[ -z "$outside" ] && ok "every file is under /usr/bin or /usr/share" || fail "files outside /usr: $outside"

# --- 4. the binaries, from a throwaway root -----------------------------------
root=$work/root
dpkg -x "$deb" "$root" || { fail "dpkg -x failed"; finish; }
tool=$root/usr/bin/workforce-report
# the package of a library path, as dpkg knows it (/lib or /usr/lib: usrmerge)
owner() {
  local p
  for p in "$1" "$(readlink -f "$1")" "${1#/usr}" "/usr$1"; do
    dpkg -S "$p" 2>/dev/null | head -n 1 | cut -d: -f1 | grep . && return 0
  done
  return 1
}
if command -v objdump >/dev/null 2>&1 && command -v ldd >/dev/null 2>&1; then
  for bin in "$tool" "$root/usr/bin/workforce-gen"; do
    for soname in $(objdump -p "$bin" | awk '$1 == "NEEDED" {print $2}'); do
      # the library the loader picks for this binary (not another architecture's)
      lib=$(ldd "$bin" | awk -v s="$soname" '$1 == s && $3 ~ /^\// {print $3}')
      pkg=$([ -n "$lib" ] && owner "$lib")
      if [ -z "$pkg" ]; then
        fail "$(basename "$bin") links $soname, which no installed package provides"
        continue
      fi
      case $dep_names in
        *" $pkg "*) ok "$(basename "$bin") links $soname, from $pkg, in Depends" ;;
        *) fail "$(basename "$bin") links $soname from $pkg, which Depends does not name" ;;
      esac
    done
  done
fi
"$tool" --version >"$work/version.txt" 2>&1
first=$(head -n 1 "$work/version.txt")
[ "$first" = "workforce-report ${version%%-*}" ] && ok "--version: $first" ||
  fail "--version says '$first', expected 'workforce-report ${version%%-*}'"
grep -q "^License: MIT <https://opensource.org/licenses/MIT>$" "$work/version.txt" &&
  ok "--version names the MIT licence" || fail "--version does not name the licence: $(cat "$work/version.txt")"
"$tool" --input "$root/usr/share/doc/workforce-report/samples" --output "$work/out" \
  --as-of "$AS_OF" >"$work/run.log" 2>&1
code=$?
xlsx=$(find "$work/out" -maxdepth 1 -name '*.xlsx' -printf '%f ' | sed 's/ $//')
if [ $code -eq 0 ] && [ -n "$xlsx" ]; then
  ok "the packaged binary exited 0 on the packaged samples and wrote $xlsx"
else
  sed 's/^/         /' "$work/run.log"
  fail "workforce-report on the packaged samples exited $code, .xlsx: '${xlsx:-none}'"
fi
"$root/usr/bin/workforce-gen" --help >/dev/null 2>&1 && ok "workforce-gen --help exits 0" ||
  fail "workforce-gen --help failed"

# --- 5. the manual page -----------------------------------------------------------
page=$root/usr/share/man/man1/workforce-report.1
if [ $renderer = man ]; then
  # man-db's seccomp sandbox can fail inside containers; it is not the test
  MAN_DISABLE_SECCOMP=1 MANWIDTH=100 man --warnings -l "$page" 2>"$work/man.warnings" |
    col -bx >"$work/man.txt"
else
  groff -man -Tutf8 -ww -rLL=100n "$page" 2>"$work/man.warnings" | sed 's/\x1b\[[0-9;]*m//g' |
    col -bx >"$work/man.txt"
fi
[ -s "$work/man.txt" ] && ok "man page renders ($renderer, $(wc -l <"$work/man.txt") lines)" ||
  fail "the man page renders empty"
[ ! -s "$work/man.warnings" ] && ok "man page renders without warnings" ||
  fail "man page warnings: $(cat "$work/man.warnings")"
grep -q '@[A-Z_]*@' "$page" && fail "the man page holds an unreplaced @VARIABLE@" ||
  ok "the man page's version is filled in"
for section in NAME SYNOPSIS DESCRIPTION OPTIONS INPUTS OUTPUTS "EXIT STATUS" EXAMPLES FILES ENVIRONMENT; do
  grep -qx "$section" "$work/man.txt" && ok "man page has $section" || fail "man page has no $section section"
done
"$tool" --help >"$work/help.txt" 2>&1 || fail "--help exited non-zero"
options=$(grep -oE -- '--[a-z][a-z-]*' "$work/help.txt" | sort -u)
[ -n "$options" ] || fail "--help lists no option"
missing=""
for opt in $options; do
  grep -qE -- "(^|[^a-z-])$opt([^a-z-]|$)" "$work/man.txt" || missing="$missing $opt"
done
[ -z "$missing" ] && ok "man page mentions all $(echo "$options" | wc -l) options of --help" ||
  fail "man page does not mention:$missing"
# the exit codes of --help's table: lines starting with a number after "Exit status:"
codes=$(sed -n '/^Exit status:/,$p' "$work/help.txt" | grep -oE '^ +[0-9]+(, [0-9]+)*' | tr -cs '0-9' ' ')
missing=""
exit_text=$(sed -n '/^EXIT STATUS$/,/^EXAMPLES$/p' "$work/man.txt")
for c in $codes; do
  grep -qE "(^|[^0-9])$c([^0-9]|$)" <<<"$exit_text" || missing="$missing $c"
done
[ -n "$codes" ] && [ -z "$missing" ] && ok "man page's EXIT STATUS has every code of --help:$(echo $codes)" ||
  fail "exit codes of --help missing from EXIT STATUS:${missing:- (--help lists none)}"

# --- 6. bash completion ---------------------------------------------------------
completion=$root/usr/share/bash-completion/completions/workforce-report
complete_words() { # complete_words WORD... : what the completion offers for the last word
  bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
           _workforce_report 2>/dev/null; printf "%s\n" "${COMPREPLY[@]}"' _ "$completion" \
    workforce-report "$@"
}
if bash -n "$completion" 2>"$work/completion.err"; then
  offered=$(complete_words -- | sort -u)
  missing=$(comm -23 <(echo "$options") <(echo "$offered") | tr '\n' ' ')
  [ -z "$missing" ] && ok "bash completion offers every option of --help" ||
    fail "bash completion does not offer: $missing"
  want() { # want EXPECTED WORD...
    local expected=$1 got
    shift
    got=$(complete_words "$@" | tr '\n' ' ' | sed 's/ $//')
    [ "$got" = "$expected" ] && ok "completion of '$*': $got" ||
      fail "completion of '$*' is '$got', expected '$expected'"
  }
  want "iso mdy dmy" --date-format ""
  want "log-log log plain" --km-ci ""
  want "last-quarter" --as-of ""
else
  fail "bash completion has a syntax error: $(cat "$work/completion.err")"
fi

# --- 7. systemd units -------------------------------------------------------------
examples=$root/usr/share/doc/workforce-report/examples
service=$examples/workforce-report.service timer=$examples/workforce-report.timer
exec_start=$(sed -n 's/^ExecStart=//p' "$service")
[ "$exec_start" = "/usr/bin/workforce-report --input /srv/hris/export --output /srv/reports --as-of last-quarter --strict -q" ] &&
  ok "service runs: $exec_start" || fail "service's ExecStart is '$exec_start'"
for line in Type=oneshot UMask=0027 User=workforce-report; do
  grep -qx "$line" "$service" && ok "service has $line" || fail "service has no $line"
done
for line in "OnCalendar=*-01,04,07,10-01 06:00:00" Persistent=true WantedBy=timers.target; do
  grep -qxF "$line" "$timer" && ok "timer has $line" || fail "timer has no $line"
done
if command -v systemd-analyze >/dev/null 2>&1; then
  spec=$(sed -n 's/^OnCalendar=//p' "$timer")
  systemd-analyze calendar "$spec" >/dev/null 2>&1 && ok "systemd-analyze accepts OnCalendar=$spec" ||
    fail "systemd-analyze rejects OnCalendar=$spec"
fi

finish
