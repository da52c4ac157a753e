#include <unistd.h>

#include <random>

#include <fmt/format.h>

#include "internal.hpp"
#include "nexcage/fs/files.hpp"

namespace nexcage::lifecycle::detail {

ScratchFile::ScratchFile(const std::filesystem::path& dir, const std::string& prefix, const std::string& content) {
  static std::mt19937_64 rng{std::random_device{}()};
  path_ = dir / fmt::format("{}{:016x}.json", prefix, rng());
  fs::write_atomic(path_, content, 0600);
}

ScratchFile::~ScratchFile() { ::unlink(path_.c_str()); }

}  // namespace nexcage::lifecycle::detail
