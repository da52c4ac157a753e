# cmake -P script run at every build by the nexcage_build_info target (cmake/GitCommit.cmake).
set(NEXCAGE_GIT_COMMIT "${FIXED_COMMIT}")
if(NOT NEXCAGE_GIT_COMMIT)
  set(NEXCAGE_GIT_COMMIT "unknown")
  if(GIT AND EXISTS "${SOURCE_DIR}/.git")
    execute_process(COMMAND ${GIT} -C ${SOURCE_DIR} rev-parse --short=12 HEAD
      OUTPUT_VARIABLE _commit OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE _rc)
    if(_rc EQUAL 0 AND _commit)
      set(NEXCAGE_GIT_COMMIT "${_commit}")
    endif()
  endif()
endif()
# configure_file leaves the file (and its timestamp) alone when the text is unchanged.
configure_file(${TEMPLATE} ${OUTPUT} @ONLY)
