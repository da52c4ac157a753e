#pragma once
// Diagnostics never touch stdout. With a log file, lines of the chosen level and above (errors and
// warnings by default, as runc writes) are appended to it in runc's formats: logrus text or one
// JSON object per line. Without one, warnings (and at debug level, debug lines) go to stderr,
// unless quiet; errors are printed on stderr by the CLI in either case.
#include <optional>
#include <string>

#include "nexcage/core/operation.hpp"

namespace nexcage::log {

enum class Format { text, json };

// The least severe lines written. info adds one record per command that succeeded; debug adds
// the backend commands, their own debug lines and the timings of each step.
enum class Level { error, warning, info, debug };

// "error", "warning", "info", "debug"; parse_level also takes logrus's "warn". nullopt: not a
// level.
std::string to_string(Level level);
std::optional<Level> parse_level(const std::string& text);

struct Options {
  std::string file;  // empty: no log file
  Format format = Format::text;
  Level level = Level::warning;
  bool quiet = false;  // --quiet: no warnings on stderr (the log file still gets them)
  // Each line on disk before write(2) returns (O_SYNC), as runc opens the --log its callers give
  // it. Off where a line is written per command, which would cost a disk flush each.
  bool synced = true;
};

// Opens the log file (O_APPEND|O_CREAT, 0644, like runc) and installs the logger. Throws on error.
void init(const Options& options);

void debug(const std::string& message);
void warn(const std::string& message);
// Appends an error line to the log file (no-op without one).
void error(const std::string& message);
// Whether debug lines are written anywhere (to skip building costly ones).
bool debugging();

// The one line a command leaves about itself: beside runc's level, msg and time, the fields op,
// id, backend, vmid, duration_ms, result and exit_status (and at debug level, steps). A failure is
// an error line (the only one: containerd takes the last error line of its log.json and podman
// reads its file as one object) unless the backend's own error line is there already; then, as a
// success, it is an info line, written only at info level and below.
void operation_record(const operation::Record& record, const operation::Outcome& outcome);

// One line of a backend's JSON log (runc's and crun's --log-format json: logrus's level, msg, time
// and any other fields), parsed once for both the relay and the failure message.
struct BackendLine {
  std::string text;         // as the backend wrote it
  bool structured = false;  // a JSON object; anything else is a debug line
  std::string level;
  std::string msg;
  std::string time;
  std::string extra;  // the other fields as logrus prints them after msg: ` error="..."`
  // The message of a failure (level error, fatal or panic), or empty.
  std::string error_message() const;
};
BackendLine parse_backend_line(const std::string& text);

// Carries a backend's log line to the caller, where runc's own caller would have found it. With
// --log: warnings and errors (with --debug, every line) are appended to the file, verbatim in json
// and as logrus text otherwise. Without --log, warnings and errors go to stderr when to_stderr,
// unless quiet. Returns whether the line reached the log file.
bool relay(const BackendLine& line, bool to_stderr);

// Formats one line exactly as written to the file, without the newline (exposed for tests).
std::string format_line(Format format, const std::string& level, const std::string& message,
                        const std::string& time);

}  // namespace nexcage::log
