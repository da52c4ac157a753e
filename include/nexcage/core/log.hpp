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

// Formats one line exactly as written to the file, without the newline (exposed for tests).
std::string format_line(Format format, const std::string& level, const std::string& message,
                        const std::string& time);

}  // namespace nexcage::log
