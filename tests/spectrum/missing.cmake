# Run by ctest as spectrum_csv when the suite (or /usr/bin/python3) was missing
# at configure time: fail, saying what is missing and how to install it.
#   cmake -DREASON=... -P missing.cmake
message("FAIL     spectrum_csv cannot run: ${REASON}")
message("0 passed, 1 failed, 0 skipped")
message(FATAL_ERROR "csv-spectrum conformance test not run")
