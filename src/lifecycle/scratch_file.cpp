#include <unistd.h>

#include "internal.hpp"
#include "nexcage/core/random_name.hpp"
#include "nexcage/fs/files.hpp"

namespace nexcage::lifecycle::detail {

ScratchFile::ScratchFile(const std::filesystem::path& dir, const std::string& prefix,
                         const std::string& content) {
  path_ = dir / random_name(prefix, ".json");
  fs::write_atomic(path_, content, 0600);
}

ScratchFile::~ScratchFile() {
  ::unlink(path_.c_str());
}

}  // namespace nexcage::lifecycle::detail
