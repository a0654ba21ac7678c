# Build flags shared by every Nazar target, as an INTERFACE target (no global flag strings).
add_library(nazar_flags INTERFACE)
add_library(nazar::flags ALIAS nazar_flags)
target_compile_features(nazar_flags INTERFACE cxx_std_17)
if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
  target_compile_options(nazar_flags INTERFACE -Wall -Wextra -Wpedantic -Wshadow
                         -Wno-unused-parameter)
endif()
# A GoogleTest suite's own code (target property NAZAR_SUITE, set in tests/CMakeLists.txt).
set(_suite $<BOOL:$<TARGET_PROPERTY:NAZAR_SUITE>>)
if(NAZAR_SANITIZE)
  # -fno-sanitize-recover turns every UB report into a test failure instead of a log line. A
  # suite's own objects carry no debug info: line tables on hundreds of gtest and JSON-literal
  # test bodies cost a fifth of their compile time, the largest part of CI's fresh build. (They
  # keep UBSan: the core's inline header code, json.h's parser among it, is linked from them.)
  target_compile_options(nazar_flags INTERFACE -fsanitize=address,undefined $<${_suite}:-g0>
                         -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(nazar_flags INTERFACE -fsanitize=address,undefined)
endif()

if(NAZAR_BUILD_FUZZERS)
  # Coverage instrumentation for everything the fuzzers reach (the core, not just the harness);
  # the fuzz targets add -fsanitize=fuzzer to link libFuzzer's main.
  target_compile_options(nazar_flags INTERFACE -fsanitize=fuzzer-no-link,address,undefined
                         -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  target_link_options(nazar_flags INTERFACE -fsanitize=address,undefined)
endif()

# Flags for code that must never throw: core/ always in wasm, and natively when asked.
add_library(nazar_noexcept INTERFACE)
if(EMSCRIPTEN OR NAZAR_NO_EXCEPTIONS)
  # JSON_NOEXCEPTION makes nlohmann abort instead of throw; the core only uses calls that cannot
  # fail that way (parse with allow_exceptions=false, find, is_* before get).
  target_compile_options(nazar_noexcept INTERFACE -fno-exceptions)
  target_compile_definitions(nazar_noexcept INTERFACE JSON_NOEXCEPTION)
endif()

if(EMSCRIPTEN)
  # Size-first for everything that ships; CMake's MinSizeRel is only -Os. These come after
  # CMAKE_CXX_FLAGS_<CONFIG> on the command line, so they win over its -O3.
  set(NAZAR_WASM_OPT "-Oz" CACHE STRING "Optimization level for wasm targets")
  option(NAZAR_WASM_LTO "Link-time optimization of the wasm modules (-2.5 KB gzip)" ON)
  # A target with the NAZAR_WASM_SPEED property (the analyze module's importer) is compiled for
  # speed instead, and outside LTO: with -Oz anywhere on its command line this emcc marks every
  # function noinline (even std::string_view::size()), and LTO would keep that choice.
  # A suite's own code is compiled at -O0 (the core it links stays at the preset's level): it
  # compiles in half the time, and the suite still runs in seconds under node.
  set(_speed $<BOOL:$<TARGET_PROPERTY:NAZAR_WASM_SPEED>>)
  target_compile_options(nazar_flags INTERFACE
                         $<IF:${_suite},-O0,$<IF:${_speed},-O2,${NAZAR_WASM_OPT}>>
                         $<$<AND:$<BOOL:${NAZAR_WASM_LTO}>,$<NOT:${_speed}>>:-flto>)
  if(NOT NAZAR_BUILD_TESTS)
    # Shipped modules use no dynamic_cast/typeid (GoogleTest builds keep RTTI).
    target_compile_options(nazar_flags INTERFACE -fno-rtti)
  endif()
  execute_process(COMMAND ${CMAKE_CXX_COMPILER} --version OUTPUT_VARIABLE _em_version
                  ERROR_QUIET)
  string(REGEX MATCH "[0-9]+\\.[0-9]+\\.[0-9]+" _em_version "${_em_version}")
  message(STATUS "Emscripten version: ${_em_version}")
  if(_em_version VERSION_LESS 3.1.6)
    message(FATAL_ERROR "Nazar needs Emscripten 3.1.6 or newer (found ${_em_version})")
  endif()
endif()
