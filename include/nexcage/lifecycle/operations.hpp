#pragma once
// One function per operation; the CLI fills the request structs and prints what they return.
// Requests are in the caller's words (runc's flags); lifecycle/ turns them into backend calls.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nexcage/lifecycle/context.hpp"

namespace nexcage::lifecycle {

struct CreateRequest {
  std::string id;
  std::string bundle = ".";
  std::string pid_file;
  std::string console_socket;
  int preserve_fds = 0;
  bool no_pivot = false;
  bool no_new_keyring = false;
  // See backend::CreateCall::caller_stdio; false for the admin form only.
  bool caller_stdio = true;
  // Without the caller's stdio: the file the container's stdout and stderr are appended to.
  std::string output_file;
  // Who wrote the bundle's backend annotation, for messages (the admin form writes its own).
  std::string backend_chosen_by;
};

// The admin form: `create --image IMAGE --name ID [--memory MiB] [--cores N] [--net SPEC]
// [--storage S] [--start] [-- COMMAND...]`. nexcage writes the bundle itself (under
// <root>/bundles/<id>); the backend is routed as for any create, pct preferred where it runs.
struct ImageCreateRequest {
  std::string image;  // a bundle, an image layout or archive, a registry image, a template
  std::string name;   // the container id
  std::optional<uint32_t> memory_mib;
  std::optional<uint32_t> cores;
  std::string net;  // "none" or bridge=NAME[,ip=...][,gw=...][,ip6=...][,gw6=...][,tag=N][,mtu=N]
  std::string storage;               // Proxmox storage for the rootfs
  std::optional<uint32_t> disk_gib;  // rootfs size; unset = from the image's size
  bool start = false;
  bool onboot =
      false;  // Proxmox starts it at boot (pct's onboot), running the application directly
  std::vector<std::string> command;  // after --: replaces the image's Cmd
  std::string pull = "missing";      // registry images: missing, always or never (podman's)
};

struct RunRequest {
  CreateRequest create;
  bool detach = false;
  bool keep = false;
  bool no_subreaper = false;  // accepted; a foreground run must reap its init to report its status
};

struct ExecRequest {
  std::string id;
  std::string process_file;  // --process; else args and the flags below describe the process
  std::vector<std::string> args;
  std::string cwd;
  std::vector<std::string> env;
  std::string user;  // UID[:GID]
  std::vector<std::string> additional_gids;
  std::vector<std::string> caps;
  bool tty = false;
  bool no_new_privs = false;
  std::string apparmor;
  std::string process_label;
  std::vector<std::string> cgroups;  // [controller[,controller]:]path, repeatable
  bool ignore_paused = false;
  std::string console_socket;
  int preserve_fds = 0;
  bool detach = false;
  std::string pid_file;
};

struct UpdateRequest {
  std::string id;
  std::string resources;                                     // file, "-" for stdin, or empty
  nlohmann::json flag_resources = nlohmann::json::object();  // from --memory, --cpu-shares, ...
};

void create(Context& ctx, const CreateRequest& request);
// Returns what to print: the VMID (or the id for a backend without one) and a newline.
std::string create_from_image(Context& ctx, const ImageCreateRequest& request);
void start(Context& ctx, const std::string& id);
std::string state(Context& ctx, const std::string& id);
void kill(Context& ctx, const std::string& id, const std::string& signal, bool all);
void remove(Context& ctx, const std::string& id, bool force);
int run(Context& ctx, const RunRequest& request);

// CRIU's flags that checkpoint and restore share, as runc 1.1 names them.
struct CriuFlags {
  std::string image_path;  // empty: ./checkpoint
  std::string work_path;   // empty: the image directory
  bool tcp_established = false;
  bool ext_unix_sk = false;
  bool shell_job = false;
  bool file_locks = false;
  bool auto_dedup = false;
  bool lazy_pages = false;
  std::string manage_cgroups_mode;  // soft, full, strict; empty: the backend's default
  std::vector<std::string> empty_ns;
};

// runc checkpoint: CRIU dumps the container into an image directory (relative paths from the
// caller's directory); unless leave_running or pre_dump, the container is then gone, here too.
struct CheckpointRequest {
  std::string id;
  CriuFlags criu;
  std::string parent_path;  // relative to the image directory, as runc takes it
  bool leave_running = false;
  bool pre_dump = false;
  std::string page_server;  // ADDRESS:PORT
};
void checkpoint(Context& ctx, const CheckpointRequest& request);

// runc restore: a container made from a bundle and a checkpoint image, under a new id or the
// checkpointed one. Relative image and work paths are the bundle's, as runc reads them (it works
// in the bundle directory); the image defaults to ./checkpoint of the caller. Like run: with detach
// it returns once the container runs, else it waits and returns the container's exit status.
struct RestoreRequest {
  CreateRequest create;
  bool detach = false;
  CriuFlags criu;
  bool no_subreaper = false;
  std::string lsm_profile;  // TYPE:NAME
  std::string lsm_mount_context;
};
int restore(Context& ctx, const RestoreRequest& request);
// Foreground exec does not return; detached returns 0.
int exec(Context& ctx, const ExecRequest& request);
void pause(Context& ctx, const std::string& id);
void resume(Context& ctx, const std::string& id);
std::string ps(Context& ctx, const std::string& id, const std::string& format,
               const std::vector<std::string>& ps_args);
void update(Context& ctx, const UpdateRequest& request);
int events(Context& ctx, const std::string& id, bool stats, const std::string& interval);
std::string features(Context& ctx);
std::string list(Context& ctx, const std::string& format, bool quiet);
// The image store (create --image pulls into it): one row per reference, or digests only.
std::string list_images(Context& ctx, const std::string& format, bool quiet);
// Removes images by digest, digest prefix or reference; refuses one a container of this root
// uses. Prints the digests removed.
std::string remove_images(Context& ctx, const std::vector<std::string>& names);
// Removes every image no container of this root uses, and unreferenced blobs.
std::string prune_images(Context& ctx);
void spec(const std::string& bundle, bool rootless);
std::string version(Context& ctx);

// The Prometheus text exposition of this state root: build info, containers by backend and
// status, each running container's CPU, memory and pids, and the operations counted in its
// metrics journal (which this folds). docs/observability.md names every series.
std::string metrics(Context& ctx);
// The same into FILE, replaced atomically (mode 0644, for node_exporter's textfile collector).
void write_metrics_file(Context& ctx, const std::string& file);

// The settings of this command and where each came from (flag, environment, config file,
// default): a table (SETTING VALUE SOURCE) or JSON.
std::string config_view(const Context& ctx, const std::string& format);

}  // namespace nexcage::lifecycle
