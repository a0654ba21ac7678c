# Third-party dependencies: nlohmann_json everywhere, GoogleTest for tests.
if(EMSCRIPTEN)
  # Under the Emscripten toolchain find_package does not see /usr, and -I/usr/include would pull
  # in glibc headers. Stage a folder holding only a `nlohmann` symlink and use it as the include
  # directory of an INTERFACE target.
  find_path(NAZAR_NLOHMANN_INCLUDE nlohmann/json.hpp PATHS /usr/include NO_DEFAULT_PATH
            NO_CMAKE_FIND_ROOT_PATH REQUIRED)
  set(_stage ${CMAKE_BINARY_DIR}/staged-include)
  file(MAKE_DIRECTORY ${_stage})
  file(CREATE_LINK ${NAZAR_NLOHMANN_INCLUDE}/nlohmann ${_stage}/nlohmann SYMBOLIC)
  add_library(nazar_nlohmann INTERFACE)
  target_include_directories(nazar_nlohmann SYSTEM INTERFACE ${_stage})
  add_library(nlohmann_json::nlohmann_json ALIAS nazar_nlohmann)
else()
  find_package(nlohmann_json 3.11 REQUIRED)
endif()

if(NAZAR_BUILD_TESTS)
  if(EMSCRIPTEN)
    # Debian ships GoogleTest sources; build them with em++ (no threads in this module).
    set(gtest_disable_pthreads ON CACHE BOOL "" FORCE)
    set(INSTALL_GTEST OFF CACHE BOOL "" FORCE)
    set(BUILD_GMOCK OFF CACHE BOOL "" FORCE)
    add_subdirectory(/usr/src/googletest ${CMAKE_BINARY_DIR}/googletest EXCLUDE_FROM_ALL)
    if(NOT TARGET GTest::gtest_main)
      add_library(GTest::gtest_main ALIAS gtest_main)
    endif()
  else()
    find_package(GTest REQUIRED)
  endif()
endif()
