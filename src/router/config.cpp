#include "nexcage/router/config.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>

#include "nexcage/core/error.hpp"
#include "nexcage/oci/bundle.hpp"

namespace nexcage::router {

namespace {

constexpr std::size_t max_config_file_bytes = 1024 * 1024;

[[noreturn]] void bad(const std::string& source, const std::string& key, const std::string& why) {
  throw Error(ErrorKind::invalid_input, source + ": " + key + ": " + why,
              "see docs/configuration.md (man nexcage-config.json)");
}

void only_keys(const nlohmann::json& obj, std::initializer_list<const char*> allowed,
               const std::string& source, const std::string& where) {
  for (const auto& [key, value] : obj.items()) {
    bool ok = std::any_of(allowed.begin(), allowed.end(), [&](const char* k) { return key == k; });
    if (!ok) bad(source, where.empty() ? key : where + "." + key, "unknown key");
  }
}

std::string string_at(const nlohmann::json& obj, const char* key, const std::string& source,
                      const std::string& where) {
  const auto& v = obj.at(key);
  if (!v.is_string() || v.get<std::string>().empty())
    bad(source, where + "." + key, "must be a non-empty string");
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
  if (has_glob) rule.glob = string_at(obj, "glob", source, where);
  else rule.regex = string_at(obj, "regex", source, where);
  if (!rule.regex.empty()) {
    try {
      rule.compiled = std::regex(rule.regex, std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
      bad(source, where + ".regex", std::string("invalid regular expression: ") + e.what());
    }
  }
  return rule;
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
  c.backends["runc"] = BackendConfig{"runc", "/usr/sbin/runc", nlohmann::json::object()};
  c.backends["crun"] = BackendConfig{"crun", "/usr/bin/crun", nlohmann::json::object()};
  c.backends["pct"] = BackendConfig{"pct", "/usr/sbin/pct", nlohmann::json::object()};
  return c;
}

Config parse_config(const nlohmann::json& doc, const std::string& source) {
  if (!doc.is_object()) bad(source, "(top level)", "must be a JSON object");
  only_keys(doc, {"backends", "default_backend", "rules", "root"}, source, "");
  Config c = default_config();
  c.source = source;
  if (doc.contains("backends")) {
    const auto& backends = doc["backends"];
    if (!backends.is_object()) bad(source, "backends", "must be an object keyed by backend name");
    for (const auto& [name, value] : backends.items()) {
      if (!is_known(name))
        bad(source, "backends." + name, "unknown backend (known: runc, crun, pct)");
      c.backends[name] = parse_backend(name, value, source, c.backends[name]);
    }
  }
  if (doc.contains("default_backend")) {
    c.default_backend = string_at(doc, "default_backend", source, "");
    if (!c.backends.count(*c.default_backend))
      bad(source, "default_backend", "names unconfigured backend \"" + *c.default_backend + "\"");
  }
  if (doc.contains("rules")) {
    const auto& rules = doc["rules"];
    if (!rules.is_array()) bad(source, "rules", "must be an array");
    for (std::size_t i = 0; i < rules.size(); ++i) c.rules.push_back(parse_rule(rules[i], i, c, source));
  }
  if (doc.contains("root")) {
    c.root = string_at(doc, "root", source, "");
    if (c.root->front() != '/' || *c.root == "/") bad(source, "root", "must be an absolute directory other than /");
  }
  return c;
}

Config load_config(const std::optional<std::string>& explicit_file, const char* env_value) {
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
  struct stat st{};
  if (::stat(file.c_str(), &st) < 0) {
    if (errno == ENOENT && !required) return default_config();
    throw system_error("reading config file " + file, errno);
  }
  return parse_config(oci::read_json_file(file, file), file);
}

}  // namespace nexcage::router
