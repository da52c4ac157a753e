#pragma once
// <root>/<id>/ per container: `state.json` (the Record) and `lock` (flock). Claiming an id is
// atomic: the directory is prepared under a temporary name in <root>/.tmp, locked, and renamed
// into place, so an id directory always has its lock file and record. A crash leaves either an
// old entry in .tmp, which the next create removes, or a record in status "creating" whose lock
// nobody holds, which the next claim of that id cleans up. The root itself is nexcage's only when
// nexcage made it (state/state_root.hpp); reading commands never change it.
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "nexcage/core/unique_fd.hpp"
#include "nexcage/fs/files.hpp"
#include "nexcage/fs/lock.hpp"
#include "nexcage/state/record.hpp"
#include "nexcage/state/state_root.hpp"

namespace nexcage::state {

// A container directory with its lock held.
class Container {
 public:
  Container(std::filesystem::path dir, fs::FileLock lock, Record record)
      : dir_(std::move(dir)), lock_(std::move(lock)), record_(std::move(record)) {}
  const std::filesystem::path& dir() const { return dir_; }
  const Record& record() const { return record_; }
  Record& record() { return record_; }

 private:
  std::filesystem::path dir_;
  fs::FileLock lock_;
  Record record_;
};

class StateStore {
 public:
  explicit StateStore(std::filesystem::path root);

  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path dir_of(const std::string& id) const { return root_ / id; }

  // Creates <root>/<id> holding `initial` with an exclusive lock. If a record of a create that
  // died is found there, `clean_stale` is called with it (to clean up the backend) and the claim
  // is retried. Throws Error(exists, "container with given ID already exists") otherwise.
  Container claim(const Record& initial, const std::function<void(const Record&)>& clean_stale);

  // Locks and loads. Throws Error(not_found, "container does not exist") when missing.
  Container open(const std::string& id, fs::FileLock::Mode mode) const;

  // open with the exclusive lock if nobody holds it now; nullopt when held or missing.
  std::optional<Container> try_open(const std::string& id) const;

  // Loads without locking (records are replaced atomically); nullopt when missing.
  std::optional<Record> peek(const std::string& id) const;

  // True when a create of this record died before finishing: status "creating" and nobody holds
  // the lock.
  bool is_abandoned(const Record& record) const;

  // Synced by default. `unsynced` for what the record already implies (a settled handover, the
  // mark of a delete under way): a host crash that loses it leaves a record that settles the
  // same way, or reads as a stopped container; SIGKILL loses nothing either way.
  void save(Container& container, fs::Durability durability = fs::Durability::synced) const;

  // Removes the container directory (renamed away first so it disappears atomically).
  void remove(Container&& container) const;

  // Records that a command handed to its backend and that no later command may meet (a delete;
  // containerd never reuses an id nor lists) are noted in <root>/.tmp, so that the next claim
  // settles them without reading every record of the root. Not synced: a note lost in a crash
  // leaves a record that `list` and `doctor --repair` settle.
  void note_handover(const std::string& id) const;
  void forget_handover(const std::string& id) const;
  std::vector<std::string> noted_handovers() const;

  // Ids with a directory under root, sorted. Changes nothing.
  std::vector<std::string> ids() const;

 private:
  // open and try_open: nullopt when missing, or when the lock is held and `wait` is false.
  std::optional<Container> open_locked(const std::string& id, fs::FileLock::Mode mode,
                                       bool wait) const;
  // False when the root does not exist yet; throws when it is not nexcage's.
  bool root_exists() const;
  // Makes or marks the root (see state_root.hpp) and returns its .tmp directory.
  std::filesystem::path prepare_tmp() const;
  Record load_record(const std::filesystem::path& dir) const;
  Record parse_record(const std::string& text, const std::filesystem::path& dir) const;
  // The root opened once (O_PATH), for peek's openat: `list` reads every record through it.
  int root_fd() const;

  std::filesystem::path root_;
  mutable std::optional<RootKind> root_kind_;
  mutable UniqueFd root_fd_;
};

}  // namespace nexcage::state
