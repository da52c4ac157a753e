if(NEXCAGE_SANITIZE)
  # One flag set for every target, so the library and the tests agree on the ABI.
  add_compile_options(-fsanitize=address,undefined,leak -fno-sanitize-recover=all
    -fno-omit-frame-pointer -O1 -g)
  add_link_options(-fsanitize=address,undefined,leak -fno-sanitize-recover=all)
endif()

if(NEXCAGE_FUZZ AND NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "NEXCAGE_FUZZ needs clang (libFuzzer is part of clang's compiler-rt): "
    "configure with -DCMAKE_CXX_COMPILER=clang++-16 (packages clang-16 and libclang-rt-16-dev, "
    "installed by scripts/install-deps.sh); this is ${CMAKE_CXX_COMPILER_ID}")
endif()
if(NEXCAGE_FUZZ AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 16)
  message(FATAL_ERROR "NEXCAGE_FUZZ: clang ${CMAKE_CXX_COMPILER_VERSION} cannot compile nexcage "
    "(lambdas capturing structured bindings need clang 16); use -DCMAKE_CXX_COMPILER=clang++-16")
endif()

# libFuzzer's coverage feedback (edge counters, comparison tracing) for the code under test. The
# hooks it calls are defined by the ASan runtime as no-ops when libFuzzer is not linked, so the
# unit tests and the nexcage binary link against the instrumented library as they are.
function(nexcage_fuzz_instrument target)
  if(NEXCAGE_FUZZ)
    target_compile_options(${target} PRIVATE -fsanitize=fuzzer-no-link)
  endif()
endfunction()
