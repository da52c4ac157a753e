# The commit goes into `nexcage --version`. It is read at build time, not configure time, so a
# build after a new commit says so without re-running CMake; generated/build_info.cpp is
# rewritten only when the commit changed, so an unchanged tree rebuilds nothing.
# A build from an exported tree (scripts/build-deb.sh) has no .git and passes it in:
# -DNEXCAGE_GIT_COMMIT=...; a tarball build without either says "unknown".
set(NEXCAGE_GIT_COMMIT "" CACHE STRING "commit for --version (default: from git, else unknown)")
find_package(Git QUIET)
set(NEXCAGE_BUILD_INFO ${CMAKE_CURRENT_BINARY_DIR}/generated/build_info.cpp)
add_custom_target(nexcage_build_info
  COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${CMAKE_SOURCE_DIR} -DOUTPUT=${NEXCAGE_BUILD_INFO}
    -DTEMPLATE=${CMAKE_SOURCE_DIR}/cmake/build_info.cpp.in -DGIT=${GIT_EXECUTABLE}
    -DFIXED_COMMIT=${NEXCAGE_GIT_COMMIT} -P ${CMAKE_SOURCE_DIR}/cmake/WriteBuildInfo.cmake
  BYPRODUCTS ${NEXCAGE_BUILD_INFO}
  COMMENT "Reading the git commit for --version"
  VERBATIM)
