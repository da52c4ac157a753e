#pragma once
// Diagnostics never touch stdout. With --log FILE, errors (and with --debug, debug lines) are
// appended to FILE in runc's formats: logrus text or one JSON object per line. Without --log,
// warnings (and with --debug, debug lines) go to stderr, unless quiet; errors are printed on
// stderr by main() in either case.
#include <string>

namespace nexcage::log {

enum class Format { text, json };

struct Options {
  std::string file;  // empty: no log file
  Format format = Format::text;
  bool debug = false;
  bool quiet = false;  // --quiet: no warnings on stderr (the log file still gets them)
};

// Opens the log file (O_APPEND|O_CREAT, 0644, like runc) and installs the logger. Throws on error.
void init(const Options& options);

void debug(const std::string& message);
void warn(const std::string& message);
// Appends an error line to the log file (no-op without one).
void error(const std::string& message);

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
