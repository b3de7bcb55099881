# Run by ctest as spectrum_csv when /usr/bin/python3 (or bash) was missing at
# configure time: fail, saying what is missing and how to install it. (A
# missing csv-spectrum suite is handled by run_spectrum.sh: fetched, or the
# test is skipped.)
#   cmake -DREASON=... -P missing.cmake
message("FAIL     spectrum_csv cannot run: ${REASON}")
message("0 passed, 1 failed, 0 skipped")
message(FATAL_ERROR "csv-spectrum conformance test not run")
