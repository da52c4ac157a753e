#include "nexcage/state/state_root.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include <fmt/format.h>

#include "nexcage/core/container_id.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/core/unique_fd.hpp"
#include "nexcage/fs/files.hpp"

namespace nexcage::state {

namespace fsys = std::filesystem;

namespace {

constexpr const char* marker_text = "nexcage state root: do not add or remove files here by hand\n";
constexpr const char* pick_another =
    "give --root (or root in the config file) a path that does not exist yet, or an empty "
    "directory only root can write to; nexcage makes it and keeps its records there";

[[noreturn]] void foreign(const fsys::path& root, const std::string& why) {
  throw Error(ErrorKind::invalid_input, "state root " + root.string() + " is not nexcage's: " + why,
              pick_another);
}

bool starts_with(const std::string& name, const char* prefix) {
  return name.rfind(prefix, 0) == 0;
}

bool is_dir_at(int dirfd, const char* name, struct stat& st) {
  return ::fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
}

// What a nexcage before the marker left in its root: container directories with their lock file,
// the backends' roots, generated bundles, the old root index, and crash leftovers of claims and
// removals. runc's own root (no lock files) and ordinary directories do not look like this.
bool is_nexcage_entry(int dirfd, const std::string& name) {
  struct stat st {};
  // The marker another nexcage is writing at this moment, making the same new root (a burst of
  // first creates after a reboot emptied /run): write_atomic's temporary file beside it, gone
  // once renamed, or the marker itself when it appeared after inspect_root looked for it.
  if (name == root_marker || starts_with(name, (std::string(".") + root_marker + ".").c_str()))
    return ::fstatat(dirfd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 ? S_ISREG(st.st_mode)
                                                                         : errno == ENOENT;
  if (!is_dir_at(dirfd, name.c_str(), st)) return false;
  // .roots: the root index an older nexcage kept.
  if (name == backends_dir || name == bundles_dir || name == ".roots" || name == tmp_dir ||
      name == metrics_dir)
    return true;
  if (starts_with(name, ".claim-") || starts_with(name, ".removed-")) return true;
  if (!is_valid_container_id(name)) return false;
  std::string lock = name + "/" + container_lock_file;
  return ::fstatat(dirfd, lock.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode);
}

enum class Contents { empty, nexcage_only, other };

Contents contents_of(const fsys::path& root, std::string& stranger) {
  UniqueFd fd(::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd) throw system_error("opening " + root.string(), errno);
  DIR* dir = ::fdopendir(fd.get());
  if (dir == nullptr) throw system_error("reading " + root.string(), errno);
  fd.release();  // the DIR owns it now
  Contents result = Contents::empty;
  while (struct dirent* entry = ::readdir(dir)) {
    std::string name = entry->d_name;
    if (name == "." || name == "..") continue;
    if (!is_nexcage_entry(::dirfd(dir), name)) {
      stranger = name;
      result = Contents::other;
      break;
    }
    result = Contents::nexcage_only;
  }
  ::closedir(dir);
  return result;
}

}  // namespace

RootKind inspect_root(const fsys::path& root) {
  struct stat st {};
  if (::lstat(root.c_str(), &st) < 0) {
    if (errno == ENOENT) return RootKind::missing;
    throw system_error("inspecting state root " + root.string(), errno);
  }
  if (S_ISLNK(st.st_mode)) foreign(root, "it is a symlink");
  if (!S_ISDIR(st.st_mode)) foreign(root, "it is not a directory");
  if (st.st_uid == 0 && ::geteuid() != 0)
    throw Error(ErrorKind::invalid_input, "state root " + root.string() + " belongs to root",
                "run nexcage as root for root's containers; a user's own are under "
                "$XDG_RUNTIME_DIR/nexcage "
                "(the default without --root)");
  if (st.st_uid != ::geteuid()) foreign(root, fmt::format("it is owned by uid {}", st.st_uid));
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0)
    foreign(root, fmt::format("other users can write to it (mode {:04o})", st.st_mode & 07777));
  struct stat marker {};
  if (::lstat((root / root_marker).c_str(), &marker) == 0) {
    if (!S_ISREG(marker.st_mode))
      foreign(root, std::string(root_marker) + " is not a regular file");
    return RootKind::marked;
  }
  std::string stranger;
  switch (contents_of(root, stranger)) {
    case Contents::empty:
      return RootKind::empty;
    case Contents::nexcage_only:
      return RootKind::legacy;
    case Contents::other:
      break;
  }
  foreign(root, "it holds \"" + stranger + "\", which nexcage did not make, and no " + root_marker);
}

void prepare_root(const fsys::path& root) {
  auto kind = inspect_root(root);
  if (kind == RootKind::marked) return;
  if (kind == RootKind::missing) {
    std::error_code ec;
    fsys::create_directories(root.parent_path(), ec);
    if (ec)
      throw Error(ErrorKind::system,
                  "creating " + root.parent_path().string() + ": " + ec.message());
    // Another nexcage may make it at the same moment; both then mark the same directory.
    if (::mkdir(root.c_str(), 0700) < 0 && errno != EEXIST)
      throw system_error("creating state root " + root.string(), errno);
    if (inspect_root(root) == RootKind::marked) return;
  }
  fs::write_atomic(root / root_marker, marker_text, 0600);
}

}  // namespace nexcage::state
