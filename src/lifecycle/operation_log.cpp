#include "nexcage/lifecycle/operation_log.hpp"

#include "nexcage/core/operation.hpp"
#include "nexcage/metrics/journal.hpp"

namespace nexcage::lifecycle {

namespace {

// The log open now, so that a config file naming the same one as the flags costs no reopening.
struct OpenLog {
  bool open = false;
  log::Options options;
};

OpenLog& open_log_state() {
  static OpenLog state;
  return state;
}

bool same(const log::Options& a, const log::Options& b) {
  return a.file == b.file && a.format == b.format && a.level == b.level && a.quiet == b.quiet &&
         a.synced == b.synced;
}

void open_with(const log::Options& options) {
  log::init(options);
  open_log_state() = OpenLog{true, options};
}

log::Options options_of(const LogSettings& log, bool quiet) {
  // The caller's --log as runc opens it, while it gets errors and warnings only; a file that
  // gets a line per command (info, debug, or an admin's own) is not flushed per line.
  bool synced = log.file.source == Source::flag && log.level.value <= log::Level::warning;
  return log::Options{log.file.value, log.format.value, log.level.value, quiet, synced};
}

// One line, as podman reads the file: a multi-line message joined with "; ".
std::string one_line(const std::string& text) {
  std::string line;
  line.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\n') {
      line += text[i];
    } else if (text.compare(i + 1, 2, "  ") == 0) {
      line += "; ";
      i += 2;
    } else {
      line += ' ';
    }
  }
  return line;
}

}  // namespace

void start_logging(const GlobalOptions& options, const std::string& command) {
  operation::note_op(command);
  operation::set_finisher(log::operation_record);
  open_with(
      options_of(resolve_log(options.settings, process_environment(), nullptr, BadValue::skip),
                 options.quiet));
}

void open_log(const LogSettings& log, bool quiet, bool strict) {
  auto options = options_of(log, quiet);
  auto& state = open_log_state();
  if (state.open && same(state.options, options)) return;
  auto earlier = state.options;
  try {
    open_with(options);
  } catch (const Error& e) {
    if (strict) throw;
    if (state.open) open_with(earlier);
    log::warn(std::string("ignoring the log file of ") + log.file.origin + ": " + e.what());
  }
}

void finish_operations_into(const std::filesystem::path& root, bool metrics) {
  operation::set_finisher(
      [root, metrics](const operation::Record& record, const operation::Outcome& outcome) {
        log::operation_record(record, outcome);
        if (!metrics) return;
        metrics::append(root, metrics::Sample{record.op, record.backend, outcome.result(),
                                              record.duration_ms / 1000.0});
      });
}

void finish_operation(int exit_status) {
  operation::Outcome outcome;
  outcome.exit_status = exit_status;
  operation::finish(outcome);
}

void finish_operation(const Error& error, int exit_status) {
  operation::Outcome outcome;
  outcome.ok = false;
  outcome.error_kind = to_string(error.kind());
  outcome.error_message = one_line(error.what());
  outcome.exit_status = exit_status;
  const BackendWords* words = error.backend_words();
  outcome.error_logged_by_backend = words != nullptr && words->in_callers_log;
  operation::finish(outcome);
}

}  // namespace nexcage::lifecycle
