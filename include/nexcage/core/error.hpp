#pragma once
// One error type for the whole program: main() catches it once, prints the message (and hint) on
// stderr and appends it to the --log file; its kind decides the exit code (exit_code_for). Any
// other exception is turned into one by to_error, so nothing else reaches the user. Messages are
// lowercase, without a trailing period, and name the offending value; runc's exact strings are kept
// where callers match on them. Messages and hints are made printable (core/text.hpp) by the
// constructor, once, because they quote values from config.json and records.
#include <exception>
#include <optional>
#include <stdexcept>
#include <string>

namespace nexcage {

enum class ErrorKind {
  usage,          // bad command line
  invalid_input,  // config.json, process.json, resources, config file
  not_found,      // container or file does not exist
  exists,         // container id already taken
  wrong_state,    // operation not allowed in the container's current status
  backend,        // the backend runtime failed
  system,         // a syscall failed
  internal,       // an exception that is not an Error (a library's): nexcage did not foresee it
};

// The exit code of a failure of this kind. runc's: 1 for every failure (docs/cli.md, "Exit
// codes"); a command with a convention of its own (exec: 255) applies it in the CLI.
int exit_code_for(ErrorKind kind);

// The kind's name as logs and metrics show it: "usage", "invalid_input", "not_found", ...
std::string to_string(ErrorKind kind);

// How the caller has already met a backend's failure in the backend's own words. runc and crun
// write their error to stderr and to their log; report() then adds only nexcage's hint, so each
// error is one line on stderr and one in the --log file, as from the backend alone.
struct BackendWords {
  std::string stderr_text;         // captured stderr, printed verbatim in place of nexcage's line
  bool on_callers_stderr = false;  // the backend wrote to the caller's stderr itself
  bool in_callers_log = false;     // the backend's error line was relayed to the --log file
};

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message, const std::string& hint = {});

  ErrorKind kind() const noexcept { return kind_; }
  const std::string& hint() const noexcept { return hint_; }
  const BackendWords* backend_words() const noexcept { return words_ ? &*words_ : nullptr; }
  Error& said_by_backend(BackendWords words);

 private:
  ErrorKind kind_;
  std::string hint_;
  std::optional<BackendWords> words_;
};

// Any exception as an Error: an Error as it is; anything else as "<context>: <why>" (of kind
// system for a failed call, internal otherwise), with the original's type and text kept in the
// debug log. For the one place each command's failure is reported, and for cleanup paths that
// must go on whatever was thrown.
Error to_error(std::exception_ptr exception, const std::string& context);

// The text of a JSON library exception without its "[json.exception.type_error.302] " tag.
std::string without_json_tag(const char* what);

// Error for a failed syscall: "<what>: <strerror(errnum)>".
Error system_error(const std::string& what, int errnum);

// Strings that containerd, podman and CRI-O match on; never reword them.
namespace msg {
inline constexpr const char* does_not_exist = "container does not exist";
inline constexpr const char* not_running = "container not running";
inline constexpr const char* not_paused = "container not paused";
inline constexpr const char* already_exists = "container with given ID already exists";
inline constexpr const char* invalid_id = "invalid container ID format";
}  // namespace msg

}  // namespace nexcage
