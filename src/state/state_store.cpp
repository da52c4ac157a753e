#include "nexcage/state/state_store.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>

#include "nexcage/core/container_id.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/core/log.hpp"
#include "nexcage/core/random_name.hpp"
#include "nexcage/core/unique_fd.hpp"
#include "nexcage/fs/files.hpp"
#include "nexcage/fs/json_file.hpp"

namespace nexcage::state {

namespace fsys = std::filesystem;

namespace {

constexpr const char* record_file = "state.json";
constexpr const char* lock_file = container_lock_file;
// Claims in progress and removals in progress live in <root>/.tmp (tmp_dir), so that cleaning up
// after a crash looks at a handful of entries, not at every container of the root.
constexpr const char* claim_prefix = "claim-";
constexpr const char* removed_prefix = "removed-";
constexpr const char* handover_prefix = "handover-";
// Younger leftovers may belong to a command still running (a claim takes its lock just after
// making its directory; a removal deletes its lock file before its directory).
constexpr auto leftover_age = std::chrono::minutes(1);

void remove_tree(const fsys::path& dir) {
  std::error_code ec;
  fsys::remove_all(dir, ec);  // does not follow symlinks
  if (ec) log::warn("removing " + dir.string() + ": " + ec.message());
}

// True when nobody holds the lock in `dir` (or there is no lock file left); never creates one.
bool unlocked(const fsys::path& dir) {
  UniqueFd fd(::open((dir / lock_file).c_str(), O_RDWR | O_NOFOLLOW | O_CLOEXEC));
  if (!fd) return errno == ENOENT;
  return ::flock(fd.get(), LOCK_EX | LOCK_NB) == 0;
}

// Leftovers of claims and removals that died: only entries nexcage names, only old ones, only
// when their lock is free.
void prune_leftovers(const fsys::path& tmp) {
  std::error_code ec;
  fsys::directory_iterator it(tmp, ec);
  if (ec) return;
  auto now = fsys::file_time_type::clock::now();
  for (const auto& entry : it) {
    auto name = entry.path().filename().string();
    if (name.rfind(claim_prefix, 0) != 0 && name.rfind(removed_prefix, 0) != 0) continue;
    if (!entry.is_directory(ec) || entry.is_symlink(ec)) continue;
    auto written = entry.last_write_time(ec);
    if (ec || now - written < leftover_age) continue;
    if (!unlocked(entry.path())) continue;
    log::debug("removing the leftover " + entry.path().string());
    remove_tree(entry.path());
  }
}

}  // namespace

StateStore::StateStore(fsys::path root) : root_(std::move(root)) {}

bool StateStore::root_exists() const {
  if (!root_kind_) root_kind_ = inspect_root(root_);
  return *root_kind_ != RootKind::missing;
}

fsys::path StateStore::prepare_tmp() const {
  if (root_kind_ != RootKind::marked) {
    prepare_root(root_);
    root_kind_ = RootKind::marked;
  }
  auto tmp = root_ / tmp_dir;
  if (::mkdir(tmp.c_str(), 0700) < 0 && errno != EEXIST)
    throw system_error("creating " + tmp.string(), errno);
  return tmp;
}

Record StateStore::load_record(const fsys::path& dir) const {
  return parse_record(fs::read_regular_file(dir / record_file, max_record_bytes), dir);
}

int StateStore::root_fd() const {
  if (!root_fd_) {
    root_fd_ = UniqueFd(::open(root_.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!root_fd_) throw system_error("opening " + root_.string(), errno);
  }
  return root_fd_.get();
}

Record StateStore::parse_record(const std::string& text, const fsys::path& dir) const {
  auto file = dir / record_file;
  try {
    return record_from_json(fs::parse_json_document(text, file.string()));
  } catch (const Error& e) {
    throw Error(ErrorKind::invalid_input, e.what(),
                "the state record is damaged; remove " + dir.string() +
                    " after checking the backend for the container");
  }
}

Container StateStore::claim(const Record& initial,
                            const std::function<void(const Record&)>& clean_stale) {
  check_container_id(initial.id);
  auto tmp = prepare_tmp();
  prune_leftovers(tmp);
  auto target = dir_of(initial.id);
  for (int attempt = 0; attempt < 3; ++attempt) {
    auto staging = tmp / random_name(claim_prefix);
    if (::mkdir(staging.c_str(), 0711) < 0)
      throw system_error("creating " + staging.string(), errno);
    auto lock = fs::FileLock::acquire(staging / lock_file, fs::FileLock::Mode::exclusive);
    fs::write_atomic(staging / record_file, to_json(initial).dump(), 0600);
    // rename(2) of a directory onto an existing non-empty one fails: that is the exclusivity.
    if (::rename(staging.c_str(), target.c_str()) == 0) {
      fs::fsync_dir(root_);
      return Container(target, std::move(lock), initial);
    }
    int err = errno;
    remove_tree(staging);
    if (err != EEXIST && err != ENOTEMPTY) throw system_error("claiming " + target.string(), err);

    auto existing_lock =
        fs::FileLock::try_acquire(target / lock_file, fs::FileLock::Mode::exclusive);
    if (!existing_lock.held()) throw Error(ErrorKind::exists, msg::already_exists);
    Record existing;
    try {
      existing = load_record(target);
    } catch (const Error&) {
      throw Error(ErrorKind::exists, msg::already_exists);
    }
    if (existing.status != Status::creating) throw Error(ErrorKind::exists, msg::already_exists);
    log::debug("cleaning up abandoned create of " + existing.id);
    clean_stale(existing);
    remove(Container(target, std::move(existing_lock), existing));
  }
  throw Error(ErrorKind::exists, msg::already_exists);
}

std::optional<Container> StateStore::open_locked(const std::string& id, fs::FileLock::Mode mode,
                                                 bool wait) const {
  check_container_id(id);
  if (!root_exists()) return std::nullopt;
  auto dir = dir_of(id);
  struct stat st {};
  if (::lstat(dir.c_str(), &st) < 0 || !S_ISDIR(st.st_mode)) return std::nullopt;
  auto lock = wait ? fs::FileLock::acquire(dir / lock_file, mode)
                   : fs::FileLock::try_acquire(dir / lock_file, mode);
  if (!lock.held()) return std::nullopt;
  // It may have been removed while we waited for the lock.
  if (::lstat((dir / record_file).c_str(), &st) < 0) return std::nullopt;
  return Container(dir, std::move(lock), load_record(dir));
}

Container StateStore::open(const std::string& id, fs::FileLock::Mode mode) const {
  auto container = open_locked(id, mode, true);
  if (!container) throw Error(ErrorKind::not_found, msg::does_not_exist);
  return std::move(*container);
}

std::optional<Container> StateStore::try_open(const std::string& id) const {
  return open_locked(id, fs::FileLock::Mode::exclusive, false);
}

std::optional<Record> StateStore::peek(const std::string& id) const {
  check_container_id(id);
  if (!root_exists()) return std::nullopt;
  auto dir = dir_of(id);
  // One openat below the root, no lstat first (`list` peeks at every record of the root).
  auto text = fs::read_regular_file_at(root_fd(), id + "/" + record_file, dir / record_file,
                                       max_record_bytes);
  if (!text) return std::nullopt;
  return parse_record(*text, dir);
}

bool StateStore::is_abandoned(const Record& record) const {
  if (record.status != Status::creating) return false;
  auto lock = fs::FileLock::try_acquire(dir_of(record.id) / lock_file, fs::FileLock::Mode::shared);
  return lock.held();
}

void StateStore::save(Container& container, fs::Durability durability) const {
  fs::write_atomic(container.dir() / record_file, to_json(container.record()).dump(), 0600,
                   durability);
}

void StateStore::remove(Container&& container) const {
  auto graveyard = prepare_tmp() / random_name(removed_prefix);
  if (::rename(container.dir().c_str(), graveyard.c_str()) < 0)
    throw system_error("removing " + container.dir().string(), errno);
  fs::fsync_dir(root_);
  remove_tree(graveyard);
}

void StateStore::note_handover(const std::string& id) const {
  check_container_id(id);
  auto note = prepare_tmp() / (handover_prefix + id);
  UniqueFd fd(::open(note.c_str(), O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (!fd) throw system_error("writing " + note.string(), errno);
}

void StateStore::forget_handover(const std::string& id) const {
  auto note = root_ / tmp_dir / (handover_prefix + id);
  if (::unlink(note.c_str()) < 0 && errno != ENOENT)
    log::warn(system_error("removing " + note.string(), errno).what());
}

std::vector<std::string> StateStore::noted_handovers() const {
  std::vector<std::string> out;
  if (!root_exists()) return out;
  std::error_code ec;
  fsys::directory_iterator it(root_ / tmp_dir, ec);
  if (ec) return out;
  const std::string prefix = handover_prefix;
  for (const auto& entry : it) {
    auto name = entry.path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    auto id = name.substr(prefix.size());
    if (is_valid_container_id(id)) out.push_back(id);
  }
  return out;
}

std::vector<std::string> StateStore::ids() const {
  std::vector<std::string> out;
  if (!root_exists()) return out;
  std::error_code ec;
  fsys::directory_iterator it(root_, ec);
  if (ec) throw Error(ErrorKind::system, "listing " + root_.string() + ": " + ec.message());
  for (const auto& entry : it) {
    auto name = entry.path().filename().string();
    // Dot entries (the marker, .tmp, .backends, leftovers of older versions) are never ids.
    if (is_valid_container_id(name) && entry.is_directory(ec) && !entry.is_symlink(ec))
      out.push_back(name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace nexcage::state
