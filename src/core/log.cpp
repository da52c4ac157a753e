#include "nexcage/core/log.hpp"

#include "nexcage/core/io.hpp"
#include "nexcage/core/text.hpp"
#include "nexcage/core/unique_fd.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <ctime>
#include <memory>
#include <mutex>

#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "nexcage/core/clock.hpp"
#include "nexcage/core/error.hpp"

namespace nexcage::log {

std::string format_line(Format format, const std::string& level, const std::string& message,
                        const std::string& time) {
  if (format == Format::json) {
    // Key order as runc writes it; containerd and podman decode by name, so order is cosmetic.
    nlohmann::ordered_json line{{"level", level}, {"msg", message}, {"time", time}};
    return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  nlohmann::json quoted = message;
  return "time=\"" + time + "\" level=" + level +
         " msg=" + quoted.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

namespace {

std::string level_name(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace:
    case spdlog::level::debug:
      return "debug";
    case spdlog::level::info:
      return "info";
    case spdlog::level::warn:
      return "warning";
    default:
      return "error";
  }
}

// One write(2) per line on an O_APPEND fd: several nexcage processes (containerd shares one
// log.json between all calls on a container) never interleave inside a line.
class AppendFileSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  AppendFileSink(const std::string& path, Format format, bool synced) : format_(format) {
    fd_ = UniqueFd(::open(path.c_str(),
                          O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | (synced ? O_SYNC : 0), 0644));
    if (!fd_) throw system_error("opening log file " + path, errno);
  }

  Format format() const { return format_; }

  // A line already formatted (a backend's own), written as the logger's lines are.
  void append(const std::string& text) {
    std::lock_guard<std::mutex> guard(mutex_);
    write_line(text + "\n");
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    auto since_epoch = msg.time.time_since_epoch();
    auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(since_epoch).count();
    timespec ts{static_cast<time_t>(ns / 1000000000), static_cast<long>(ns % 1000000000)};
    std::string line =
        format_line(format_, level_name(msg.level),
                    std::string(msg.payload.data(), msg.payload.size()), rfc3339_seconds(ts)) +
        "\n";
    write_line(line);
  }
  void flush_() override {}

 private:
  // A failing log has nowhere left to be reported; it never fails the command.
  void write_line(const std::string& line) { (void)write_fully(fd_.get(), line); }

  Format format_;
  UniqueFd fd_;
};

std::shared_ptr<spdlog::logger>& file_logger() {
  static std::shared_ptr<spdlog::logger> logger;
  return logger;
}

std::shared_ptr<spdlog::logger>& debug_logger() {
  static std::shared_ptr<spdlog::logger> logger;
  return logger;
}

std::shared_ptr<AppendFileSink>& file_sink() {
  static std::shared_ptr<AppendFileSink> sink;
  return sink;
}

// A backend line's fields beyond level, msg and time, as logrus prints them after msg
// (` error="rmdir ...: device or resource busy"`).
std::string other_fields(const nlohmann::json& doc) {
  std::string text;
  for (const auto& [key, value] : doc.items()) {
    if (key == "level" || key == "msg" || key == "time") continue;
    text += " " + printable(key, false) + "=" +
            value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  return text;
}

std::string string_field(const nlohmann::json& doc, const char* key) {
  auto it = doc.find(key);
  return it != doc.end() && it->is_string() ? it->get<std::string>() : std::string();
}

spdlog::level::level_enum spdlog_level(Level level) {
  switch (level) {
    case Level::error:
      return spdlog::level::err;
    case Level::warning:
      return spdlog::level::warn;
    case Level::info:
      return spdlog::level::info;
    case Level::debug:
      return spdlog::level::debug;
  }
  return spdlog::level::warn;
}

}  // namespace

std::string to_string(Level level) {
  switch (level) {
    case Level::error:
      return "error";
    case Level::warning:
      return "warning";
    case Level::info:
      return "info";
    case Level::debug:
      return "debug";
  }
  return "warning";
}

std::optional<Level> parse_level(const std::string& text) {
  if (text == "error") return Level::error;
  if (text == "warning" || text == "warn") return Level::warning;
  if (text == "info") return Level::info;
  if (text == "debug") return Level::debug;
  return std::nullopt;
}

void init(const Options& options) {
  file_logger().reset();
  debug_logger().reset();
  file_sink().reset();
  if (!options.file.empty()) {
    auto sink = std::make_shared<AppendFileSink>(options.file, options.format, options.synced);
    file_sink() = sink;
    auto logger = std::make_shared<spdlog::logger>("nexcage", sink);
    logger->set_level(spdlog_level(options.level));
    file_logger() = logger;
  } else if (options.level == Level::debug || !options.quiet) {
    // stderr carries warnings, and debug lines at debug level, never info: go-runc merges a
    // command's stderr into the output it parses, so a command that succeeds is silent there.
    auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    auto logger = std::make_shared<spdlog::logger>("nexcage", sink);
    logger->set_pattern("nexcage: %l: %v");
    logger->set_level(options.level == Level::debug ? spdlog::level::debug : spdlog::level::warn);
    debug_logger() = logger;
  }
}

bool debugging() {
  return (file_logger() && file_logger()->should_log(spdlog::level::debug)) ||
         (debug_logger() && debug_logger()->should_log(spdlog::level::debug));
}

// Messages quote values from config.json and backend output: printable() keeps their control
// characters off the terminal and out of text log lines.
void debug(const std::string& message) {
  if (!file_logger() && !debug_logger()) return;
  auto text = printable(message);
  if (file_logger()) file_logger()->debug(text);
  if (debug_logger()) debug_logger()->debug(text);
}

void warn(const std::string& message) {
  if (!file_logger() && !debug_logger()) return;
  auto text = printable(message);
  if (file_logger()) file_logger()->warn(text);
  if (debug_logger()) debug_logger()->warn(text);
}

void error(const std::string& message) {
  if (file_logger()) file_logger()->error(printable(message));
}

namespace {

// logrus's TextFormatter quotes a value holding anything but these characters.
bool needs_quoting(const std::string& text) {
  if (text.empty()) return true;
  for (unsigned char c : text)
    if (!(std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '/' || c == '@' || c == '^' ||
          c == '+'))
      return true;
  return false;
}

std::string text_fields(const nlohmann::ordered_json& fields) {
  std::string text;
  for (const auto& [key, value] : fields.items()) {
    std::string shown = value.is_string()
                            ? value.get<std::string>()
                            : value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    if (value.is_object()) {
      shown.clear();
      for (const auto& [name, ms] : value.items())
        shown += (shown.empty() ? "" : ",") + name + "=" + ms.dump();
    }
    text += " " + key + "=";
    text += needs_quoting(shown) ? nlohmann::json(shown).dump(
                                       -1, ' ', false, nlohmann::json::error_handler_t::replace)
                                 : shown;
  }
  return text;
}

double rounded_ms(double ms) {
  return static_cast<double>(static_cast<long long>(ms * 1000.0 + 0.5)) / 1000.0;
}

std::string now_rfc3339() {
  timespec ts{};
  ::clock_gettime(CLOCK_REALTIME, &ts);
  return rfc3339_seconds(ts);
}

}  // namespace

void operation_record(const operation::Record& record, const operation::Outcome& outcome) {
  if (!file_logger() && !debug_logger()) return;
  spdlog::level::level_enum severity =
      outcome.ok || outcome.error_logged_by_backend ? spdlog::level::info : spdlog::level::err;
  bool to_file = file_logger() && file_logger()->should_log(severity);
  bool to_stderr =
      !file_logger() && debug_logger() && debug_logger()->should_log(spdlog::level::debug);
  if (!to_file && !to_stderr) return;

  nlohmann::ordered_json fields;
  fields["op"] = record.op;
  if (!record.id.empty()) fields["id"] = printable(record.id, false);
  if (!record.backend.empty()) fields["backend"] = record.backend;
  if (record.vmid) fields["vmid"] = *record.vmid;
  fields["duration_ms"] = rounded_ms(record.duration_ms);
  fields["result"] = outcome.result();
  if (outcome.exit_status) fields["exit_status"] = *outcome.exit_status;
  if (debugging() && !record.steps.empty()) {
    nlohmann::ordered_json steps = nlohmann::ordered_json::object();
    for (const auto& [name, ms] : record.steps) steps[name] = rounded_ms(ms);
    fields["steps"] = steps;
  }
  std::string message = outcome.ok ? record.op + " ok" : printable(outcome.error_message);

  if (to_stderr) {
    debug_logger()->debug(printable(message + text_fields(fields)));
    return;
  }
  auto& sink = file_sink();
  std::string level = severity == spdlog::level::err ? "error" : "info";
  if (sink->format() == Format::json) {
    nlohmann::ordered_json line{{"level", level}, {"msg", message}, {"time", now_rfc3339()}};
    line.update(fields);
    sink->append(line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  } else {
    sink->append(format_line(Format::text, level, message, now_rfc3339()) + text_fields(fields));
  }
}

namespace {

bool is_error_level(const std::string& level) {
  return level == "error" || level == "fatal" || level == "panic";
}

}  // namespace

std::string BackendLine::error_message() const {
  return is_error_level(level) ? msg : std::string();
}

BackendLine parse_backend_line(const std::string& text) {
  BackendLine line;
  line.text = text;
  auto doc = nlohmann::json::parse(text, nullptr, false);
  if (!doc.is_object()) return line;
  line.structured = true;
  line.level = string_field(doc, "level");
  line.msg = string_field(doc, "msg");
  line.time = string_field(doc, "time");
  line.extra = other_fields(doc);
  return line;
}

bool relay(const BackendLine& line, bool to_stderr) {
  if (!line.structured) {
    debug("backend: " + line.text);
    return false;
  }
  const auto& level = line.level;
  spdlog::level::level_enum severity = spdlog::level::debug;
  if (level == "warning" || level == "warn") severity = spdlog::level::warn;
  if (is_error_level(level)) severity = spdlog::level::err;
  if (level == "info") severity = spdlog::level::info;

  bool logged = false;
  auto& sink = file_sink();
  if (sink && file_logger()->should_log(severity)) {
    if (sink->format() == Format::json) {
      // The parser accepted it, so it is one line of valid JSON: kept byte for byte.
      sink->append(line.text);
    } else {
      // One line: the backend's level and time are its words too, and may hold anything.
      sink->append(format_line(Format::text, level.empty() ? "info" : printable(level, false),
                               line.msg, printable(line.time, false)) +
                   line.extra);
    }
    logged = true;
  }
  if (to_stderr && !sink && debug_logger() && severity >= spdlog::level::warn)
    debug_logger()->log(severity, printable(line.msg + line.extra));
  else if (!sink && debug_logger() && severity < spdlog::level::warn)
    debug_logger()->debug("backend: " + printable(line.text));
  return logged;
}

}  // namespace nexcage::log
