#pragma once
// `nexcage doctor`: checks the host and nexcage's own state, and says what to fix. Each check
// lives in its own file under src/doctor/ and adds findings to a Report; nothing is changed
// unless repair is asked for, and then only nexcage's own stale records are removed.
#include <optional>
#include <string>
#include <vector>

namespace nexcage::doctor {

enum class Severity { ok, info, warning, problem };
const char* to_string(Severity severity);

struct Finding {
  std::string check;  // "config", "backend runc", "cgroups", ...
  Severity severity = Severity::ok;
  std::string message;
  std::string fix;  // what to do about it; empty when nothing is to be done
};

struct Report {
  std::vector<Finding> findings;
  void add(std::string check, Severity severity, std::string message, std::string fix = "");
  // No finding of severity problem.
  bool healthy() const;
};

struct Options {
  std::optional<std::string> config_file;  // --config
  const char* config_env = nullptr;        // $NEXCAGE_CONFIG
  std::string root;                        // --root; empty: the config's root or the default
  bool repair = false;
};

// Runs every check on this host, with the system's runner. Never throws for what it finds; it
// reports it.
Report examine(const Options& options);

// One line per finding ("ok", "info", "warning", "problem" in a column), fixes indented below,
// then a summary line. Colour (severity words only) when `colour` is set.
std::string render_text(const Report& report, bool colour);
// {"healthy": bool, "findings": [{"check", "severity", "message", "fix"}]}
std::string render_json(const Report& report);

}  // namespace nexcage::doctor
