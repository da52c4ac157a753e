#include "nexcage/fs/lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

#include "nexcage/core/error.hpp"

namespace nexcage::fs {

namespace {
UniqueFd open_lock_file(const std::filesystem::path& file) {
  UniqueFd fd(::open(file.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (!fd) throw system_error("opening lock " + file.string(), errno);
  return fd;
}
int lock_operation(FileLock::Mode mode) {
  return mode == FileLock::Mode::shared ? LOCK_SH : LOCK_EX;
}
}  // namespace

FileLock FileLock::acquire(const std::filesystem::path& file, Mode mode) {
  auto fd = open_lock_file(file);
  while (::flock(fd.get(), lock_operation(mode)) < 0) {
    if (errno == EINTR) continue;
    throw system_error("locking " + file.string(), errno);
  }
  return FileLock(std::move(fd));
}

FileLock FileLock::try_acquire(const std::filesystem::path& file, Mode mode) {
  auto fd = open_lock_file(file);
  while (::flock(fd.get(), lock_operation(mode) | LOCK_NB) < 0) {
    if (errno == EINTR) continue;
    if (errno == EWOULDBLOCK) return FileLock(UniqueFd());
    throw system_error("locking " + file.string(), errno);
  }
  return FileLock(std::move(fd));
}

}  // namespace nexcage::fs
