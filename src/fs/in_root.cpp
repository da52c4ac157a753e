#include "nexcage/fs/in_root.hpp"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include <cerrno>
#include <vector>

#include "nexcage/core/error.hpp"
#include "nexcage/core/unique_fd.hpp"
#include "nexcage/fs/files.hpp"

namespace nexcage::fs {

namespace {

UniqueFd open_root(const std::filesystem::path& root) {
  UniqueFd fd(::open(root.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!fd) throw system_error("opening " + root.string(), errno);
  return fd;
}

// glibc 2.36 has no openat2 wrapper. Returns -1 with errno set.
int openat2_in_root(int root_fd, const std::string& relative, int flags) {
  open_how how{};
  how.flags = static_cast<uint64_t>(flags | O_CLOEXEC);
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV;
  for (;;) {
    long fd = ::syscall(SYS_openat2, root_fd, relative.c_str(), &how, sizeof how);
    if (fd < 0 && errno == EAGAIN) continue;  // a concurrent rename raced the lookup
    return static_cast<int>(fd);
  }
}

std::vector<std::string> components(const std::string& path) {
  std::vector<std::string> parts;
  for (const auto& part : std::filesystem::path(path).relative_path())
    if (!part.empty() && part != ".") parts.push_back(part.string());
  return parts;
}

}  // namespace

std::optional<std::string> read_file_in_root(const std::filesystem::path& root,
                                             const std::string& path, std::size_t max_bytes) {
  auto root_fd = open_root(root);
  auto relative = std::filesystem::path(path).relative_path().string();
  UniqueFd fd(openat2_in_root(root_fd.get(), relative, O_RDONLY | O_NONBLOCK | O_NOCTTY));
  if (!fd) {
    if (errno == ENOENT || errno == ENOTDIR) return std::nullopt;
    throw system_error("opening " + path + " in " + root.string(), errno);
  }
  return read_opened_file(fd.get(), root / relative, max_bytes, {});
}

void make_dirs_in_root(const std::filesystem::path& root, const std::string& path, mode_t mode) {
  auto root_fd = open_root(root);
  std::string done;                       // the prefix made so far, relative to root
  UniqueFd parent(::dup(root_fd.get()));  // `done`, resolved inside root
  if (!parent) throw system_error("opening " + root.string(), errno);
  for (const auto& part : components(path)) {
    if (part == "..") {
      throw Error(ErrorKind::invalid_input, "the image path " + path + " contains \"..\"");
    }
    auto next = done.empty() ? part : done + "/" + part;
    UniqueFd child(openat2_in_root(root_fd.get(), next, O_PATH | O_DIRECTORY));
    if (!child && errno == ENOENT) {
      // A dangling symlink also reads as ENOENT; mkdirat then fails with EEXIST, reported below.
      if (::mkdirat(parent.get(), part.c_str(), mode) < 0 && errno != EEXIST)
        throw system_error("creating " + next + " in " + root.string(), errno);
      child = UniqueFd(openat2_in_root(root_fd.get(), next, O_PATH | O_DIRECTORY));
    }
    if (!child) {
      if (errno == ENOTDIR || errno == ENOENT)
        throw Error(ErrorKind::invalid_input, "the image's /" + next +
                                                  " is in the way of the directory " + path +
                                                  " (not a directory, or a symlink to nothing)");
      throw system_error("opening " + next + " in " + root.string(), errno);
    }
    done = next;
    parent = std::move(child);
  }
}

}  // namespace nexcage::fs
