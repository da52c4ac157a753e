#include "nexcage/state/root_index.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "nexcage/core/container_id.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/core/log.hpp"
#include "nexcage/fs/files.hpp"

namespace nexcage::state {

namespace fsys = std::filesystem;

namespace {

constexpr std::size_t max_entry_bytes = 4096;

bool plausible_root(const std::string& text) {
  return !text.empty() && text.front() == '/' && text.size() < max_entry_bytes &&
         text.find('\0') == std::string::npos && text.find('\n') == std::string::npos;
}

}  // namespace

RootIndex::RootIndex(fsys::path default_root)
    : default_root_(std::move(default_root)), dir_(default_root_ / ".roots") {}

void RootIndex::note(const std::string& id, const fsys::path& root) const {
  if (root == default_root_ || !is_valid_container_id(id)) return;
  fs::ensure_private_dir(default_root_, 0700);
  fs::ensure_private_dir(dir_, 0700);
  // No fsync: the note only matters while /run lives, and it is on every create's path.
  fs::write_atomic(entry(id), root.string(), 0600, fs::Durability::unsynced);
}

void RootIndex::forget(const std::string& id, const fsys::path& root) const {
  if (root == default_root_ || !is_valid_container_id(id)) return;
  std::string named;
  try {
    named = fs::read_regular_file(entry(id), max_entry_bytes);
  } catch (const Error&) {
    return;  // no entry, or not ours to judge
  }
  if (named != root.string()) return;
  if (::unlink(entry(id).c_str()) < 0 && errno != ENOENT)
    log::warn("removing " + entry(id).string() + ": " + std::string(std::strerror(errno)));
}

std::optional<fsys::path> RootIndex::lookup(const std::string& id) const {
  if (!is_valid_container_id(id)) return std::nullopt;
  std::string named;
  try {
    named = fs::read_regular_file(entry(id), max_entry_bytes);
  } catch (const Error&) {
    return std::nullopt;  // no entry: the id is simply unknown
  }
  if (!plausible_root(named)) {
    log::debug("ignoring " + entry(id).string() + ": not an absolute path");
    return std::nullopt;
  }
  std::error_code ec;
  if (!fsys::is_regular_file(fsys::path(named) / id / "state.json", ec)) {
    log::debug("ignoring " + entry(id).string() + ": " + named + " holds no record of " + id);
    return std::nullopt;
  }
  return fsys::path(named);
}

}  // namespace nexcage::state
