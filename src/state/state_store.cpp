#include "nexcage/state/state_store.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <random>

#include <fmt/format.h>

#include "nexcage/core/container_id.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/core/log.hpp"
#include "nexcage/fs/files.hpp"
#include "nexcage/oci/bundle.hpp"

namespace nexcage::state {

namespace fsys = std::filesystem;

namespace {

constexpr const char* record_file = "state.json";
constexpr const char* lock_file = "lock";
constexpr const char* claim_prefix = ".claim-";
constexpr const char* removed_prefix = ".removed-";

std::string random_suffix() {
  static std::mt19937_64 rng{std::random_device{}()};
  return fmt::format("{:016x}", rng());
}

void remove_tree(const fsys::path& dir) {
  std::error_code ec;
  fsys::remove_all(dir, ec);  // does not follow symlinks
  if (ec) log::warn("removing " + dir.string() + ": " + ec.message());
}

}  // namespace

StateStore::StateStore(fsys::path root) : root_(std::move(root)) {}

StateStore::StateStore(fsys::path root, RootIndex index)
    : root_(std::move(root)), index_(std::move(index)) {}

namespace {

// The index only helps calls that forget --root; failing to keep it must not fail the command.
template <typename F>
void keep_index(const std::string& what, F&& update) {
  try {
    update();
  } catch (const std::exception& e) {
    log::warn(what + ": " + e.what());
  }
}

}  // namespace

void StateStore::ensure_root() const { fs::ensure_private_dir(root_, 0700); }

Record StateStore::load_record(const fsys::path& dir) const {
  auto file = dir / record_file;
  auto text = fs::read_regular_file(file, max_record_bytes);
  try {
    return record_from_json(oci::parse_json_document(text, file.string()));
  } catch (const Error& e) {
    throw Error(ErrorKind::invalid_input, e.what(),
                "the state record is damaged; remove " + dir.string() +
                    " after checking the backend for the container");
  }
}

Container StateStore::claim(const Record& initial,
                            const std::function<void(const Record&)>& clean_stale) {
  check_container_id(initial.id);
  ensure_root();
  auto target = dir_of(initial.id);
  for (int attempt = 0; attempt < 3; ++attempt) {
    auto staging = root_ / (claim_prefix + random_suffix());
    if (::mkdir(staging.c_str(), 0711) < 0)
      throw system_error("creating " + staging.string(), errno);
    auto lock = fs::FileLock::acquire(staging / lock_file, fs::FileLock::Mode::exclusive);
    fs::write_atomic(staging / record_file, to_json(initial).dump(), 0600);
    // rename(2) of a directory onto an existing non-empty one fails: that is the exclusivity.
    if (::rename(staging.c_str(), target.c_str()) == 0) {
      fs::fsync_dir(root_);
      if (index_) keep_index("noting the root of " + initial.id, [&] { index_->note(initial.id, root_); });
      return Container(target, std::move(lock), initial);
    }
    int err = errno;
    remove_tree(staging);
    if (err != EEXIST && err != ENOTEMPTY)
      throw system_error("claiming " + target.string(), err);

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

Container StateStore::open(const std::string& id, fs::FileLock::Mode mode) const {
  check_container_id(id);
  auto dir = dir_of(id);
  struct stat st{};
  if (::lstat(dir.c_str(), &st) < 0 || !S_ISDIR(st.st_mode))
    throw Error(ErrorKind::not_found, msg::does_not_exist);
  auto lock = fs::FileLock::acquire(dir / lock_file, mode);
  // It may have been removed while we waited for the lock.
  if (::lstat((dir / record_file).c_str(), &st) < 0)
    throw Error(ErrorKind::not_found, msg::does_not_exist);
  return Container(dir, std::move(lock), load_record(dir));
}

std::optional<Record> StateStore::peek(const std::string& id) const {
  check_container_id(id);
  auto dir = dir_of(id);
  struct stat st{};
  if (::lstat((dir / record_file).c_str(), &st) < 0) {
    if (errno == ENOENT || errno == ENOTDIR) return std::nullopt;
    throw system_error("inspecting " + (dir / record_file).string(), errno);
  }
  return load_record(dir);
}

bool StateStore::is_abandoned(const Record& record) const {
  if (record.status != Status::creating) return false;
  auto lock = fs::FileLock::try_acquire(dir_of(record.id) / lock_file, fs::FileLock::Mode::shared);
  return lock.held();
}

void StateStore::save(Container& container) const {
  fs::write_atomic(container.dir() / record_file, to_json(container.record()).dump(), 0600);
}

void StateStore::remove(Container&& container) const {
  auto graveyard = root_ / (removed_prefix + random_suffix());
  if (::rename(container.dir().c_str(), graveyard.c_str()) < 0)
    throw system_error("removing " + container.dir().string(), errno);
  fs::fsync_dir(root_);
  remove_tree(graveyard);
  if (index_) {
    auto id = container.record().id;
    keep_index("forgetting the root of " + id, [&] { index_->forget(id, root_); });
  }
}

std::vector<std::string> StateStore::ids() const {
  std::vector<std::string> out;
  std::error_code ec;
  fsys::directory_iterator it(root_, ec);
  if (ec) {
    if (ec == std::errc::no_such_file_or_directory) return out;
    throw Error(ErrorKind::system, "listing " + root_.string() + ": " + ec.message());
  }
  for (const auto& entry : it) {
    auto name = entry.path().filename().string();
    if (name.rfind(removed_prefix, 0) == 0) {
      remove_tree(entry.path());
      continue;
    }
    if (name.rfind(claim_prefix, 0) == 0) {
      // A claim in progress may not have created its lock yet; only old ones are leftovers.
      auto age = fsys::file_time_type::clock::now() - entry.last_write_time(ec);
      if (ec || age < std::chrono::minutes(1)) continue;
      auto lock = fs::FileLock::try_acquire(entry.path() / lock_file, fs::FileLock::Mode::exclusive);
      if (lock.held()) remove_tree(entry.path());
      continue;
    }
    if (is_valid_container_id(name) && entry.is_directory(ec) && !entry.is_symlink(ec))
      out.push_back(name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace nexcage::state
