# The commit goes into `nexcage --version`; a tarball build without git says "unknown".
# A build from an exported tree (scripts/build-deb.sh) passes it in: -DNEXCAGE_GIT_COMMIT=...
set(NEXCAGE_GIT_COMMIT "" CACHE STRING "commit for --version (default: from git, else unknown)")
if(NOT NEXCAGE_GIT_COMMIT)
  set(NEXCAGE_GIT_COMMIT "unknown")
  find_package(Git QUIET)
  if(GIT_FOUND AND EXISTS "${CMAKE_SOURCE_DIR}/.git")
    execute_process(COMMAND ${GIT_EXECUTABLE} -C ${CMAKE_SOURCE_DIR} rev-parse --short=12 HEAD
      OUTPUT_VARIABLE _commit OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE _rc)
    if(_rc EQUAL 0 AND _commit)
      set(NEXCAGE_GIT_COMMIT "${_commit}")
    endif()
  endif()
endif()
