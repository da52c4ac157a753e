#pragma once
// Pieces shared by several operations; not part of the public interface.
#include <filesystem>
#include <string>

#include "nexcage/core/error.hpp"
#include "nexcage/core/log.hpp"
#include "nexcage/images/pull.hpp"
#include "nexcage/lifecycle/live_view.hpp"
#include "nexcage/lifecycle/operations.hpp"
#include "nexcage/oci/bundle.hpp"
#include "nexcage/process/console.hpp"
#include "nexcage/state/state_store.hpp"

namespace nexcage::lifecycle::detail {

// Undoes what a failed operation left, while its error is on its way to the caller: whatever the
// undoing throws is logged as a warning, so the original error is the one reported.
template <typename Undo>
void clean_up(const std::string& what, Undo&& undo) {
  try {
    undo();
  } catch (...) {
    log::warn(to_error(std::current_exception(), what).what());
  }
}

struct Created {
  state::Record record;
  bool terminal_on_own_console = false;  // the backend sent the pty master to `own_console`
};

// Validates the bundle, routes, claims the id, creates the container in the backend, records it
// and writes the caller's pid file. On failure nothing is left behind. With `own_console`, a
// container with process.terminal and no --console-socket gets its pty sent there (foreground run).
Created create_container(Context& ctx, const CreateRequest& request,
                         process::ConsoleSocket* own_console = nullptr);

// The steps of a create, shared by `create` and the one-step `run`.
struct Prepared {
  oci::Bundle bundle;
  std::unique_ptr<backend::Backend> driver;
  state::Record initial;  // status "creating"
};
// Validates the bundle and routes it; nothing is written yet.
Prepared prepare_create(Context& ctx, const CreateRequest& request);

// The backend's own one-step run (or, with `restore`, its restore) under nexcage's record.
int run_in_one_step(Context& ctx, const RunRequest& request, Prepared prepared,
                    const backend::RestoreOptions* restore = nullptr);
// `start`; with `in_place`, a backend that can replaces nexcage for it (Backend::in_place), as
// for the `start` command, but never inside a `run`, which goes on after the start.
void start_container(Context& ctx, const std::string& id, bool in_place);
// Claims the id (cleaning up an abandoned create of it first).
state::Container claim(Context& ctx, const Prepared& prepared);
// The record names `pid`, started at `start_time`, as its init, with what its backend notes of it
// (Backend::note_init).
void name_init(const backend::Backend& driver, state::Record& record, int pid, uint64_t start_time);
// Records the live init (named with `driver`, the container's) and writes the caller's pid file.
void record_started(Context& ctx, state::Container& container, const backend::Backend& driver,
                    int pid, state::Status status, const std::string& pid_file);

// `delete`; with in_place, the backend's delete may replace this process (Backend::in_place).
void remove_container(Context& ctx, const std::string& id, bool force, bool in_place);
// Destroys the backend's container and nexcage's record.
void destroy(Context& ctx, state::Container&& container, backend::Backend& backend, bool force);
// The image store and how registries are reached, from the config file and the environment.
images::ImageStore image_store(const Context& ctx);
images::RegistryAccess registry_access(const Context& ctx);

// The annotations create --image records: the image as named, and the manifest digest used.
inline constexpr const char* image_ref_annotation = "org.nexcage.image.ref";
inline constexpr const char* image_digest_annotation = "org.nexcage.image.digest";

// The containers `list` shows: the root's records (a damaged one skipped with a warning, a create
// in progress left out) and what the backends recover for the root.
std::vector<state::Record> listed_records(Context& ctx);

// A listed container as it is now, through its backend: nullopt (after a warning) when the
// backend cannot say, so one broken container never hides the others.
struct Listed {
  std::unique_ptr<backend::Backend> driver;
  View view;
  std::optional<uint32_t> vmid;  // a Proxmox container's
};
std::optional<Listed> observe_listed(Context& ctx, const state::Record& record);

// Removes the bundle create_from_image wrote for this container, if it wrote one.
void remove_generated_bundle(const Context& ctx, const state::Record& record);
bool has_generated_bundle(const Context& ctx, const state::Record& record);

// Records that the configured backends find for this root outside it (Backend::recover), with
// the ids the store already has left out. Nothing is written; a backend that fails is skipped
// with a warning.
std::vector<state::Record> recovered_records(Context& ctx);
std::optional<state::Record> recovered_record(Context& ctx, const std::string& id);
// The backend writes the init's pid here, in the container's directory (create and run).
inline constexpr const char* init_pid_file = "init.pid";

// A record as it stands now. One whose command was handed to the backend (Record::handover):
// - a run's gets the init's pid from the backend's pid file while that run lives (status
//   "creating" until the backend has written it);
// - a create's is "creating" while it lives, then "created" with the init of its pid file
//   ("stopped" if that has ended; an abandoned "creating" if the backend wrote no pid);
// - a delete's is the container as it was while it lives;
// and, once the command has ended, nullopt when the backend keeps no container for it (the
// record is left over: settle_held or settle_ended removes it), the record without the handover
// otherwise.
std::optional<state::Record> settled(const Context& ctx, state::Record record);
// StateStore::peek, settled.
std::optional<state::Record> peek(const Context& ctx, const std::string& id);
// A held record, settled: with the exclusive lock, what an ended handover left is written down
// (the record saved without it, or removed). nullopt when nothing is left.
std::optional<state::Container> settle_held(const Context& ctx, state::Container container,
                                            fs::FileLock::Mode mode);
// settle_held of id's record with the exclusive lock, if it is an ended handover's.
void settle_ended(const Context& ctx, const std::string& id);
// settle_held of the records noted by StateStore::note_handover whose command has ended.
void settle_noted_handovers(const Context& ctx);
// The handover of `command` to the backend by this process, for its record.
state::Handover handover_by_this_process(state::Handover::Command command);

// StateStore::open, and for an id the store lacks but a backend recovers, the record saved
// again first (so `kill`, `delete`, `start` work after a reboot wiped the root).
state::Container open_or_adopt(Context& ctx, const std::string& id, fs::FileLock::Mode mode);
// What a claim does with a stale `creating` record of the same id: the backend's container is
// destroyed, except for a record an interrupted adopt left (the container is not nexcage's to
// remove then).
void drop_stale(Context& ctx, const state::Record& stale);

// `list` and `ps` take runc's --format table|json; anything else is refused as runc refuses it.
void check_table_or_json(const std::string& format);
// Rows as runc's tabwriter prints them: columns padded to the widest cell plus three spaces, at
// least 12 wide.
std::string table(const std::vector<std::vector<std::string>>& rows);

// A document nexcage checked, handed to the backend as a private file (0600, a random name after
// `prefix`) in the container's directory, and removed when this goes out of scope: the backend
// never reads the caller's own file, which may have changed or, as a pipe, be read already.
class ScratchFile {
 public:
  ScratchFile(const std::filesystem::path& dir, const std::string& prefix,
              const std::string& content);
  ~ScratchFile();
  ScratchFile(const ScratchFile&) = delete;
  ScratchFile& operator=(const ScratchFile&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Writes the caller's pid file: the host pid, no newline, atomically.
void write_pid_file(const std::string& path, int pid);

}  // namespace nexcage::lifecycle::detail
