#pragma once
#include <filesystem>

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

  FileLock(FileLock&& other) noexcept;
  FileLock& operator=(FileLock&& other) noexcept;
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  ~FileLock();

  bool held() const { return fd_ >= 0; }
  void release();

 private:
  explicit FileLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace nexcage::fs
