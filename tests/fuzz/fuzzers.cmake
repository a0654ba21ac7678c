# The libFuzzer targets, shared by tests/fuzz (which builds them with clang) and tests/ (which
# runs each under ctest for NAZAR_FUZZ_SECONDS over tests/fuzz/corpus/<name>).
set(NAZAR_FUZZERS fuzz_definition fuzz_import fuzz_payload fuzz_decide fuzz_session fuzz_scrub
    fuzz_ingest fuzz_import_fast fuzz_prio3 fuzz_json_value)
