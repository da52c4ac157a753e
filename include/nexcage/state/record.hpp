#pragma once
// The state record nexcage keeps per container in <root>/<id>/state.json: the OCI state fields,
// what is needed to tell a live init from a reused pid, and which backend owns the container.
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace nexcage::state {

// Status as last recorded. "creating" means a create is in progress (or died: see StateStore).
enum class Status { creating, created, running, paused, stopped };

std::string to_string(Status status);
Status status_from_string(const std::string& text);  // throws Error(invalid_input)

// The process that became the backend's own command by executing it in nexcage's place (execve
// keeps the pid and the start time): a foreground `run`, a `create` or a `delete` whose
// remaining work the backend does alone. Nothing waits to record the outcome; the next command
// that meets the record settles it (lifecycle/handover.cpp):
//   run     while the process lives the backend runs the container; once it is gone, so is the
//           container, unless the backend still keeps it (`--keep`, or its run was killed);
//   create  the container is being created while the process lives; then it exists if the
//           backend keeps it, with the init named by `pid_file`;
//   remove  the container is being deleted while the process lives; then it is gone unless the
//           backend still keeps it (its delete failed).
// The init's pid is read from `pid_file`: the caller's --pid-file of a create, or else
// <dir>/init.pid, which the backend writes.
struct Handover {
  enum class Command { run, create, remove };
  int pid = 0;
  uint64_t start_time = 0;  // field 22 of /proc/<pid>/stat
  Command command = Command::run;
  std::string pid_file;  // absolute; empty: <dir>/init.pid
};

std::string to_string(Handover::Command command);  // "run", "create", "delete"
Handover::Command handover_command_from_string(const std::string& text);  // throws

struct Record {
  std::string id;
  Status status = Status::creating;
  int pid = 0;
  uint64_t init_start_time = 0;  // field 22 of /proc/<pid>/stat when the init was created
  std::string bundle;
  std::string rootfs;
  std::string created;  // RFC 3339 with nanoseconds, UTC
  std::map<std::string, std::string> annotations;
  std::string backend;                                      // "runc", "crun", "pct"
  nlohmann::json backend_state = nlohmann::json::object();  // owned by the backend driver
  std::optional<Handover> handover;
};

inline constexpr std::size_t max_record_bytes = 4 * 1024 * 1024;
inline constexpr int record_format_version = 1;

nlohmann::json to_json(const Record& record);
// Strict: every field type checked; throws Error(invalid_input) naming the field.
Record record_from_json(const nlohmann::json& doc);

}  // namespace nexcage::state
