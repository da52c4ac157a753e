#include "nexcage/router/router.hpp"

#include "nexcage/core/error.hpp"

namespace nexcage::router {

namespace {

const BackendConfig& configured(const Config& config, const std::string& name,
                                const std::string& origin) {
  auto it = config.backends.find(name);
  if (it == config.backends.end()) {
    std::string names;
    for (const auto& [n, b] : config.backends) names += (names.empty() ? "" : ", ") + n;
    throw Error(ErrorKind::invalid_input, "unknown backend \"" + name + "\" (from " + origin + ")",
                "configured backends: " + names);
  }
  return it->second;
}

// Where the path can be set: the file in use, or the one nexcage would read when none exists yet.
std::string unavailable_hint(const Config& config, const std::string& name) {
  std::string file = config.source == "built-in defaults" ? default_config_path : config.source;
  std::string setting = "set backends." + name + ".path in " + file + " (man nexcage-config.json)";
  if (name == "pct")
    return "pct comes with Proxmox VE (package pve-container): on another host use --backend runc "
           "or crun, "
           "or " +
           setting;
  return "install it (apt-get install " + name + ") or " + setting;
}

Route checked(const Config& config, const std::string& name, const std::string& reason,
              const std::function<bool(const BackendConfig&)>& available) {
  const auto& backend = configured(config, name, reason);
  if (!available(backend))
    throw Error(ErrorKind::invalid_input,
                "backend \"" + name + "\" (from " + reason + ") is not available: " + backend.path +
                    " is not an executable file",
                unavailable_hint(config, name));
  return Route{name, reason};
}

}  // namespace

bool rule_matches(const Rule& rule, const RouteRequest& request) {
  const std::string* value = &request.id;
  if (!rule.annotation.empty()) {
    auto it = request.annotations.find(rule.annotation);
    if (it == request.annotations.end()) return false;
    value = &it->second;
  }
  return rule.pattern.matches(*value);
}

Route route(const Config& config, const RouteRequest& request,
            const std::function<bool(const BackendConfig&)>& available) {
  auto annotation = request.annotations.find(backend_annotation);
  if (request.flag && annotation != request.annotations.end() &&
      *request.flag != annotation->second)
    throw Error(ErrorKind::invalid_input,
                "--backend " + *request.flag + " conflicts with " + request.annotation_origin +
                    " (" + annotation->second + ")",
                "drop one of them or make them agree");
  if (request.flag) return checked(config, *request.flag, "--backend", available);
  if (annotation != request.annotations.end())
    return checked(config, annotation->second, request.annotation_origin, available);
  for (const auto& rule : config.rules) {
    if (rule_matches(rule, request))
      return checked(config, rule.backend,
                     "rules[" + std::to_string(rule.index) + "] of " + config.source, available);
  }
  if (config.default_backend)
    return checked(config, *config.default_backend, "default_backend of " + config.source,
                   available);
  if (!request.preferred.empty()) {
    auto it = config.backends.find(request.preferred);
    if (it != config.backends.end() && available(it->second))
      return Route{request.preferred, request.preferred_reason};
  }
  for (const auto& name : implicit_backends()) {
    auto it = config.backends.find(name);
    if (it != config.backends.end() && available(it->second)) return Route{name, "first available"};
  }
  throw Error(
      ErrorKind::invalid_input, "no backend available on this host",
      "install runc or crun (apt-get install runc crun) or configure backends in " + config.source);
}

}  // namespace nexcage::router
