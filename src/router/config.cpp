#include "nexcage/router/config.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>

#include "nexcage/core/error.hpp"
#include "nexcage/core/json_reader.hpp"
#include "nexcage/core/log.hpp"
#include "nexcage/core/registry_host.hpp"
#include "nexcage/core/search_path.hpp"
#include "nexcage/fs/json_file.hpp"

namespace nexcage::router {

namespace {

constexpr const char* lenient_note =
    " (this command manages existing containers, which use the backend recorded at create; fix the "
    "config file before the next create)";

[[noreturn]] void bad(const std::string& source, const std::string& key, const std::string& why) {
  throw Error(ErrorKind::invalid_input, source + ": " + key + ": " + why,
              "see man nexcage-config.json");
}

// The config file stops at its first problem (per unit, see `unit` below).
void only_keys(const nlohmann::json& obj, const std::set<std::string>& allowed,
               const std::string& source, const std::string& where) {
  std::vector<Problem> problems;
  JsonReader(problems).only_keys(obj, where, allowed);
  if (!problems.empty()) bad(source, problems.front().path, problems.front().message);
}

std::string string_at(const nlohmann::json& obj, const char* key, const std::string& source,
                      const std::string& where) {
  const auto& v = obj.at(key);
  if (!v.is_string() || v.get<std::string>().empty())
    bad(source, child_path(where, key), "must be a non-empty string");
  return v.get<std::string>();
}

bool is_known(const std::string& name) {
  const auto& names = known_backends();
  return std::find(names.begin(), names.end(), name) != names.end();
}

BackendConfig parse_backend(const std::string& name, const nlohmann::json& obj,
                            const std::string& source, BackendConfig base) {
  std::string where = "backends." + name;
  if (!obj.is_object()) bad(source, where, "must be an object");
  for (const auto& [key, value] : obj.items()) {
    if (key == "path") {
      base.path = string_at(obj, "path", source, where);
      if (base.path.front() != '/') bad(source, where + ".path", "must be an absolute path");
    } else {
      base.options[key] = value;  // driver-specific; the driver validates it when used
    }
  }
  return base;
}

Rule parse_rule(const nlohmann::json& obj, std::size_t index, const Config& config,
                const std::string& source) {
  std::string where = "rules[" + std::to_string(index) + "]";
  if (!obj.is_object()) bad(source, where, "must be an object");
  only_keys(obj, {"backend", "annotation", "glob", "regex"}, source, where);
  Rule rule;
  rule.index = index;
  if (!obj.contains("backend")) bad(source, where + ".backend", "is required");
  rule.backend = string_at(obj, "backend", source, where);
  if (!config.backends.count(rule.backend))
    bad(source, where + ".backend", "names unconfigured backend \"" + rule.backend + "\"");
  // Without "annotation" the pattern applies to the container id.
  if (obj.contains("annotation")) rule.annotation = string_at(obj, "annotation", source, where);
  bool has_glob = obj.contains("glob");
  if (has_glob == obj.contains("regex"))
    bad(source, where, "needs exactly one of \"glob\" or \"regex\"");
  if (has_glob)
    rule.glob = string_at(obj, "glob", source, where);
  else
    rule.regex = string_at(obj, "regex", source, where);
  try {
    rule.pattern = has_glob ? Pattern::glob(rule.glob) : Pattern::regex(rule.regex);
  } catch (const std::invalid_argument& e) {
    bad(source, where + (has_glob ? ".glob" : ".regex"),
        std::string("invalid pattern: ") + e.what());
  }
  return rule;
}

std::string absolute_at(const nlohmann::json& obj, const char* key, const std::string& source,
                        const std::string& where) {
  auto value = string_at(obj, key, source, where);
  if (value.front() != '/' || value == "/")
    bad(source, child_path(where, key), "must be an absolute path other than /");
  return value;
}

ImagesConfig parse_images(const nlohmann::json& obj, const std::string& source) {
  const std::string where = "images";
  if (!obj.is_object()) bad(source, where, "must be an object");
  only_keys(obj, {"store", "skopeo", "insecure_registries", "certs_dir"}, source, where);
  ImagesConfig images;
  if (obj.contains("store")) {
    images.store = absolute_at(obj, "store", source, where);
    // skopeo and umoci split "DIR:REF" at the first colon.
    if (images.store.find(':') != std::string::npos)
      bad(source, "images.store", "must not contain ':' (skopeo and umoci read DIR:TAG)");
  }
  if (obj.contains("skopeo")) images.skopeo = absolute_at(obj, "skopeo", source, where);
  if (obj.contains("certs_dir")) images.certs_dir = absolute_at(obj, "certs_dir", source, where);
  if (obj.contains("insecure_registries")) {
    const auto& list = obj["insecure_registries"];
    if (!list.is_array())
      bad(source, "images.insecure_registries", "must be an array of host[:port]");
    for (std::size_t i = 0; i < list.size(); ++i) {
      auto key = "images.insecure_registries[" + std::to_string(i) + "]";
      // The reference grammar bounds the name, not the host; 255 is the whole name's bound.
      if (!list[i].is_string() || list[i].get<std::string>().size() > 255 ||
          !is_registry_host(list[i].get<std::string>()))
        bad(source, key, "must be a registry as host[:port], e.g. \"registry.lan:5000\"");
      images.insecure_registries.push_back(list[i].get<std::string>());
    }
  }
  return images;
}

LogConfig parse_log(const nlohmann::json& obj, const std::string& source) {
  const std::string where = "log";
  if (!obj.is_object()) bad(source, where, "must be an object");
  only_keys(obj, {"file", "format", "level"}, source, where);
  LogConfig log;
  if (obj.contains("file")) log.file = absolute_at(obj, "file", source, where);
  if (obj.contains("format")) {
    auto format = string_at(obj, "format", source, where);
    if (format != "text" && format != "json")
      bad(source, "log.format", "must be \"text\" or \"json\"");
    log.format = format == "json" ? log::Format::json : log::Format::text;
  }
  if (obj.contains("level")) {
    log.level = log::parse_level(string_at(obj, "level", source, where));
    if (!log.level) bad(source, "log.level", "must be one of error, warning, info, debug");
  }
  return log;
}

MetricsConfig parse_metrics(const nlohmann::json& obj, const std::string& source) {
  if (!obj.is_object()) bad(source, "metrics", "must be an object");
  only_keys(obj, {"enabled"}, source, "metrics");
  MetricsConfig metrics;
  if (obj.contains("enabled")) {
    if (!obj["enabled"].is_boolean()) bad(source, "metrics.enabled", "must be true or false");
    metrics.enabled = obj["enabled"].get<bool>();
  }
  return metrics;
}

}  // namespace

const std::vector<std::string>& known_backends() {
  static const std::vector<std::string> names{"runc", "crun", "pct"};
  return names;
}

const std::vector<std::string>& implicit_backends() {
  static const std::vector<std::string> names{"runc", "crun"};
  return names;
}

Config default_config() {
  Config c;
  c.source = "built-in defaults";
  c.backends["runc"] = BackendConfig{"runc", tool_paths::runc, nlohmann::json::object()};
  c.backends["crun"] = BackendConfig{"crun", tool_paths::crun, nlohmann::json::object()};
  c.backends["pct"] = BackendConfig{"pct", tool_paths::pct, nlohmann::json::object()};
  return c;
}

namespace {

// Each top-level unit (one backend, one rule, ...) is parsed by `unit`: strictly, a problem
// stops everything; leniently, the unit is skipped and its problem kept.
Config parse_units(const nlohmann::json& doc, const std::string& source,
                   std::vector<std::string>* skipped) {
  auto unit = [&](auto&& parse) {
    if (skipped == nullptr) return parse();
    try {
      parse();
    } catch (const Error& e) {
      skipped->push_back(e.what());
    }
  };
  if (!doc.is_object()) bad(source, "(top level)", "must be a JSON object");
  Config c = default_config();
  c.source = source;
  unit([&] {
    only_keys(doc, {"backends", "default_backend", "rules", "root", "images", "log", "metrics"},
              source, "");
  });
  if (doc.contains("backends")) {
    const auto& backends = doc["backends"];
    unit([&] {
      if (!backends.is_object()) bad(source, "backends", "must be an object keyed by backend name");
    });
    if (backends.is_object()) {
      for (const auto& [name, value] : backends.items()) {
        unit([&, &name = name, &value = value] {
          if (!is_known(name))
            bad(source, "backends." + name, "unknown backend (known: runc, crun, pct)");
          c.backends[name] = parse_backend(name, value, source, c.backends[name]);
        });
      }
    }
  }
  if (doc.contains("default_backend")) {
    unit([&] {
      auto name = string_at(doc, "default_backend", source, "");
      if (!c.backends.count(name))
        bad(source, "default_backend", "names unconfigured backend \"" + name + "\"");
      c.default_backend = name;
    });
  }
  if (doc.contains("rules")) {
    const auto& rules = doc["rules"];
    unit([&] {
      if (!rules.is_array()) bad(source, "rules", "must be an array");
    });
    if (rules.is_array()) {
      for (std::size_t i = 0; i < rules.size(); ++i)
        unit([&] { c.rules.push_back(parse_rule(rules[i], i, c, source)); });
    }
  }
  if (doc.contains("root")) {
    unit([&] {
      auto root = string_at(doc, "root", source, "");
      if (root.front() != '/' || root == "/")
        bad(source, "root", "must be an absolute directory other than /");
      c.root = root;
    });
  }
  if (doc.contains("images")) unit([&] { c.images = parse_images(doc["images"], source); });
  if (doc.contains("log")) unit([&] { c.log = parse_log(doc["log"], source); });
  if (doc.contains("metrics")) unit([&] { c.metrics = parse_metrics(doc["metrics"], source); });
  return c;
}

}  // namespace

Config parse_config(const nlohmann::json& doc, const std::string& source) {
  return parse_units(doc, source, nullptr);
}

Config parse_config_leniently(const nlohmann::json& doc, const std::string& source,
                              std::vector<std::string>& skipped) {
  try {
    return parse_units(doc, source, &skipped);
  } catch (const Error& e) {  // not even an object
    skipped.push_back(e.what());
    return default_config();
  }
}

Config load_config(const std::optional<std::string>& explicit_file, const char* env_value,
                   Strictness strictness) {
  std::string file;
  bool required = true;
  if (explicit_file) {
    file = *explicit_file;
  } else if (env_value != nullptr && *env_value != '\0') {
    file = env_value;
  } else {
    file = default_config_path;
    required = false;
  }
  if (file.front() != '/')
    throw Error(ErrorKind::usage, "config file \"" + file + "\" must be an absolute path",
                "nexcage never reads its configuration from the working directory");
  struct stat st {};
  if (::stat(file.c_str(), &st) < 0) {
    if (errno == ENOENT && !required) return default_config();
    if (strictness == Strictness::strict) throw system_error("reading config file " + file, errno);
    log::warn(system_error("reading config file " + file, errno).what() +
              std::string(lenient_note));
    return default_config();
  }
  if (strictness == Strictness::strict) return parse_config(fs::read_json_file(file, file), file);
  std::vector<std::string> skipped;
  Config config;
  try {
    config = parse_config_leniently(fs::read_json_file(file, file), file, skipped);
  } catch (const Error& e) {
    skipped.push_back(e.what());
    config = default_config();
  }
  for (const auto& problem : skipped) log::warn("ignoring " + problem + lenient_note);
  return config;
}

}  // namespace nexcage::router
