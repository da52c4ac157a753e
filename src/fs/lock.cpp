#include "nexcage/fs/lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

#include "nexcage/core/error.hpp"

namespace nexcage::fs {

namespace {
int open_lock_file(const std::filesystem::path& file) {
  int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) throw system_error("opening lock " + file.string(), errno);
  return fd;
}
int lock_operation(FileLock::Mode mode) {
  return mode == FileLock::Mode::shared ? LOCK_SH : LOCK_EX;
}
}  // namespace

FileLock FileLock::acquire(const std::filesystem::path& file, Mode mode) {
  int fd = open_lock_file(file);
  while (::flock(fd, lock_operation(mode)) < 0) {
    if (errno == EINTR) continue;
    int err = errno;
    ::close(fd);
    throw system_error("locking " + file.string(), err);
  }
  return FileLock(fd);
}

FileLock FileLock::try_acquire(const std::filesystem::path& file, Mode mode) {
  int fd = open_lock_file(file);
  while (::flock(fd, lock_operation(mode) | LOCK_NB) < 0) {
    if (errno == EINTR) continue;
    int err = errno;
    ::close(fd);
    if (err == EWOULDBLOCK) return FileLock(-1);
    throw system_error("locking " + file.string(), err);
  }
  return FileLock(fd);
}

FileLock::FileLock(FileLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

FileLock& FileLock::operator=(FileLock&& other) noexcept {
  if (this != &other) {
    release();
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

FileLock::~FileLock() {
  release();
}

void FileLock::release() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

}  // namespace nexcage::fs
