#pragma once
// Facts about this build that change with every commit. They live in a generated source file
// (cmake/build_info.cpp.in) rather than a compile definition, so a new commit recompiles one file
// instead of the whole library.

namespace nexcage::build_info {

extern const char* const commit;  // short git commit, or "unknown"

}  // namespace nexcage::build_info
