#include "nexcage/fs/files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <string>

#include "nexcage/core/error.hpp"
#include "nexcage/core/io.hpp"
#include "nexcage/core/unique_fd.hpp"

namespace nexcage::fs {

void write_all(int fd, std::string_view content, const std::string& what) {
  if (!write_fully(fd, content)) throw system_error("writing " + what, errno);
}

void fsync_dir(const std::filesystem::path& dir) {
  UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) throw system_error("opening directory " + dir.string(), errno);
  if (::fsync(fd.get()) < 0 && errno != EINVAL)
    throw system_error("syncing directory " + dir.string(), errno);
}

void write_atomic(const std::filesystem::path& file, std::string_view content, mode_t mode,
                  Durability durability) {
  auto dir = file.parent_path();
  if (dir.empty()) dir = ".";
  std::string tmpl = (dir / ("." + file.filename().string() + ".XXXXXX")).string();
  UniqueFd fd(::mkostemp(tmpl.data(), O_CLOEXEC));
  if (fd.get() < 0) throw system_error("creating a temporary file beside " + file.string(), errno);
  try {
    if (::fchmod(fd.get(), mode) < 0) throw system_error("setting mode of " + tmpl, errno);
    write_all(fd.get(), content, tmpl);
    if (durability == Durability::synced && ::fsync(fd.get()) < 0)
      throw system_error("syncing " + tmpl, errno);
    if (::close(fd.release()) < 0) throw system_error("closing " + tmpl, errno);
    if (::rename(tmpl.c_str(), file.c_str()) < 0)
      throw system_error("renaming " + tmpl + " to " + file.string(), errno);
  } catch (...) {
    ::unlink(tmpl.c_str());
    throw;
  }
  if (durability == Durability::synced) fsync_dir(dir);
}

std::string read_opened_file(int fd, const std::filesystem::path& file, std::size_t max_bytes,
                             const ReadRules& rules) {
  std::string subject = rules.what.empty() ? file.string() : rules.what + ": " + file.string();
  struct stat st {};
  if (::fstat(fd, &st) < 0) throw system_error("inspecting " + file.string(), errno);
  bool pipe = rules.allow_pipe && S_ISFIFO(st.st_mode);
  if (!S_ISREG(st.st_mode) && !pipe)
    throw Error(ErrorKind::invalid_input,
                subject + (rules.allow_pipe ? " is not a regular file or a pipe"
                                            : " is not a regular file"));
  // A pipe is read to its end: a non-blocking open (which kept a FIFO without a writer from
  // hanging) is undone.
  if (pipe && ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK) < 0)
    throw system_error("reading " + file.string(), errno);
  std::string too_large = subject + " is larger than " + std::to_string(max_bytes) + " bytes";
  if (static_cast<std::size_t>(st.st_size) > max_bytes)
    throw Error(ErrorKind::invalid_input, too_large);
  std::string out;
  if (!read_fd_bounded(fd, static_cast<std::size_t>(st.st_size), max_bytes, out, !pipe))
    throw Error(ErrorKind::invalid_input, too_large);
  return out;
}

namespace {

// Opens `path` (below dir_fd when relative) as read_regular_file does: a symlink is refused by
// name; with `missing_ok`, an fd of -1 says it does not exist.
UniqueFd open_regular(int dir_fd, const char* path, const std::filesystem::path& file,
                      bool missing_ok) {
  UniqueFd fd(::openat(dir_fd, path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK));
  if (fd.get() >= 0 || (missing_ok && (errno == ENOENT || errno == ENOTDIR))) return fd;
  if (errno == ELOOP)
    throw Error(ErrorKind::invalid_input, file.string() + " is a symlink, refusing to follow it");
  throw system_error("opening " + file.string(), errno);
}

}  // namespace

std::string read_regular_file(const std::filesystem::path& file, std::size_t max_bytes) {
  auto fd = open_regular(AT_FDCWD, file.c_str(), file, false);
  return read_opened_file(fd.get(), file, max_bytes, {});
}

std::optional<std::string> read_regular_file_at(int dir_fd, const std::string& relative,
                                                const std::filesystem::path& file,
                                                std::size_t max_bytes) {
  auto fd = open_regular(dir_fd, relative.c_str(), file, true);
  if (fd.get() < 0) return std::nullopt;
  return read_opened_file(fd.get(), file, max_bytes, {});
}

bool read_fd_bounded(int fd, std::size_t expected, std::size_t max_bytes, std::string& out,
                     bool regular) {
  out.clear();
  std::size_t capacity = std::min(expected, max_bytes) + 1;  // +1 sees growth past `expected`
  out.resize(capacity);
  std::size_t got = 0;
  for (;;) {
    if (got == out.size()) {
      if (out.size() > max_bytes) return false;
      out.resize(std::min(out.size() * 2, max_bytes + 1));
    }
    ssize_t r = ::read(fd, out.data() + got, out.size() - got);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) throw system_error("reading", errno);
    if (r == 0) break;
    got += static_cast<std::size_t>(r);
    if (regular && got < out.size()) break;
  }
  out.resize(got);
  return got <= max_bytes;
}

namespace {

bool read_kernel_file(const std::filesystem::path& file, std::string& out, std::size_t max_bytes,
                      bool whole_in_one_read) {
  UniqueFd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return false;
  // /proc and cgroup files report size 0; start small and grow.
  try {
    if (!read_fd_bounded(fd.get(), 4096, max_bytes, out, whole_in_one_read)) out.resize(max_bytes);
  } catch (const Error&) {
    return false;
  }
  return true;
}

}  // namespace

bool read_proc_file(const std::filesystem::path& file, std::string& out, std::size_t max_bytes) {
  return read_kernel_file(file, out, max_bytes, false);
}

bool read_proc_record(const std::filesystem::path& file, std::string& out, std::size_t max_bytes) {
  return read_kernel_file(file, out, max_bytes, true);
}

void ensure_private_dir(const std::filesystem::path& dir, mode_t mode) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw Error(ErrorKind::system, "creating " + dir.string() + ": " + ec.message());
  struct stat st {};
  if (::lstat(dir.c_str(), &st) < 0) throw system_error("inspecting " + dir.string(), errno);
  if (!S_ISDIR(st.st_mode))
    throw Error(ErrorKind::invalid_input, dir.string() + " is not a directory",
                "remove it or choose another --root");
  if ((st.st_mode & 07777) != mode && ::chmod(dir.c_str(), mode) < 0)
    throw system_error("setting mode of " + dir.string(), errno);
}

std::filesystem::path absolute_path(const std::filesystem::path& p) {
  if (p.is_absolute()) return absolute_path(p, "/");
  std::error_code ec;
  auto cwd = std::filesystem::current_path(ec);
  if (ec) throw Error(ErrorKind::system, "getting the current directory: " + ec.message());
  return absolute_path(p, cwd);
}

std::filesystem::path absolute_path(const std::filesystem::path& p,
                                    const std::filesystem::path& base) {
  auto full = (p.is_absolute() ? p : base / p).lexically_normal();
  // "/b/." normalizes to "/b/"; runc reports bundles without the trailing slash.
  if (!full.has_filename() && full.has_relative_path()) full = full.parent_path();
  return full;
}

namespace {
bool has_type(const std::filesystem::path& path, Links links, mode_t type) {
  struct stat st {};
  int r = links == Links::follow ? ::stat(path.c_str(), &st) : ::lstat(path.c_str(), &st);
  return r == 0 && (st.st_mode & S_IFMT) == type;
}
}  // namespace

bool is_directory(const std::filesystem::path& path, Links links) {
  return has_type(path, links, S_IFDIR);
}

bool is_regular_file(const std::filesystem::path& path, Links links) {
  return has_type(path, links, S_IFREG);
}

bool is_executable_file(const std::filesystem::path& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

}  // namespace nexcage::fs
