#pragma once
// Where each command's log record and metrics sample go (core/operation.hpp has the record).
#include <filesystem>
#include <string>

#include "nexcage/core/error.hpp"
#include "nexcage/lifecycle/context.hpp"

namespace nexcage::lifecycle {

// The first thing a command does once its flags are parsed (operation::begin() ran before them):
// names its record and opens the log the flags and environment name (the config file, read later,
// may name another: open_context). Throws when that log cannot be opened.
void start_logging(const GlobalOptions& options, const std::string& command);

// (Re)opens the log `log` names, unless it is the one open already. A log file that cannot be
// opened stops the command when `strict`; otherwise it is warned about and the earlier log kept.
void open_log(const LogSettings& log, bool quiet, bool strict);

// From now on the record is also counted in the metrics of `root` (when `metrics`).
void finish_operations_into(const std::filesystem::path& root, bool metrics);

// The command's end: its exit status, or the error it failed with (reported on stderr already)
// and the exit status that follows.
void finish_operation(int exit_status);
void finish_operation(const Error& error, int exit_status);

}  // namespace nexcage::lifecycle
