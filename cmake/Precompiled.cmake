# Precompiled headers: the C++ library, nlohmann/json, CLI11 (for the CLI) and googletest (for
# tests) are most of what each translation unit parses; compiling them once per build instead of
# once per file is most of what keeps the three builds of scripts/test.sh (release, sanitizer,
# package) inside CI's time. Each header holds only what every target using it may include
# (scripts/check-layers.sh), so it cannot hide a layering mistake; a build with -DNEXCAGE_PCH=OFF
# checks that each file includes what it uses.
option(NEXCAGE_PCH "Precompile the headers every file includes (cmake/precompiled/)" ON)

set(NEXCAGE_PCH_DIR ${CMAKE_CURRENT_LIST_DIR}/precompiled)

# Targets using the same header share one compiled copy, built with the first of them: the layers
# have the same compile options, as GCC and clang require of a precompiled header they use.
function(nexcage_precompile target header)
  if(NOT NEXCAGE_PCH)
    return()
  endif()
  get_property(owner GLOBAL PROPERTY NEXCAGE_PCH_OWNER_${header})
  if(owner)
    target_precompile_headers(${target} REUSE_FROM ${owner})
  else()
    set_property(GLOBAL PROPERTY NEXCAGE_PCH_OWNER_${header} ${target})
    target_precompile_headers(${target} PRIVATE ${NEXCAGE_PCH_DIR}/${header}.hpp)
  endif()
endfunction()

# A layer's library: CLI11 for the two layers that may use it, the common header for the rest.
function(nexcage_precompile_library target)
  if(target STREQUAL "nexcage_cli" OR target STREQUAL "nexcage_docgen")
    nexcage_precompile(${target} cli)
  else()
    nexcage_precompile(${target} library)
  endif()
endfunction()

# Test programs: each its own (googletest on top, and definitions of their own).
function(nexcage_precompile_tests target)
  if(NEXCAGE_PCH)
    target_precompile_headers(${target} PRIVATE ${NEXCAGE_PCH_DIR}/tests.hpp)
  endif()
endfunction()
