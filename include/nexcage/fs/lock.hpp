#pragma once
#include <filesystem>
#include <utility>

#include "nexcage/core/unique_fd.hpp"

namespace nexcage::fs {

// An flock(2) on a file, released when the object dies or the process exits (so a crashed
// nexcage never leaves a container locked).
class FileLock {
 public:
  enum class Mode { shared, exclusive };

  // Blocks until the lock is held. Creates the file (0600) if missing.
  static FileLock acquire(const std::filesystem::path& file, Mode mode);
  // Returns an unlocked object (held() == false) if another process holds it.
  static FileLock try_acquire(const std::filesystem::path& file, Mode mode);

  bool held() const { return static_cast<bool>(fd_); }
  void release() { fd_.reset(); }

 private:
  explicit FileLock(UniqueFd fd) : fd_(std::move(fd)) {}
  UniqueFd fd_;
};

}  // namespace nexcage::fs
