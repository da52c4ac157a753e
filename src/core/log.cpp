#include "nexcage/core/log.hpp"

#include "nexcage/core/io.hpp"
#include "nexcage/core/text.hpp"
#include "nexcage/core/unique_fd.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
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
  AppendFileSink(const std::string& path, Format format) : format_(format) {
    fd_ = UniqueFd(::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_SYNC, 0644));
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

}  // namespace

void init(const Options& options) {
  file_logger().reset();
  debug_logger().reset();
  file_sink().reset();
  if (!options.file.empty()) {
    auto sink = std::make_shared<AppendFileSink>(options.file, options.format);
    file_sink() = sink;
    auto logger = std::make_shared<spdlog::logger>("nexcage", sink);
    logger->set_level(options.debug ? spdlog::level::debug : spdlog::level::warn);
    file_logger() = logger;
  } else if (options.debug || !options.quiet) {
    auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    auto logger = std::make_shared<spdlog::logger>("nexcage", sink);
    logger->set_pattern("nexcage: %l: %v");
    logger->set_level(options.debug ? spdlog::level::debug : spdlog::level::warn);
    debug_logger() = logger;
  }
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
