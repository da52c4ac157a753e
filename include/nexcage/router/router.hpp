#pragma once
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "nexcage/router/config.hpp"

namespace nexcage::router {

struct RouteRequest {
  std::string id;
  std::map<std::string, std::string> annotations;
  std::optional<std::string> flag;  // --backend
  // Who set the backend annotation, for messages: the bundle's author, or nexcage's admin form.
  std::string annotation_origin = std::string("annotation ") + backend_annotation;
  // Tried before the implicit backends when nothing else decides, if configured and available,
  // with the reason to report: the admin form prefers pct on a Proxmox host.
  std::string preferred{};
  std::string preferred_reason{};
};

struct Route {
  std::string backend;
  std::string reason;  // "--backend flag", "annotation org.nexcage.backend", "rule 2", ...
};

// --backend > annotation org.nexcage.backend > first matching rule > default_backend > first
// available backend. The flag and the annotation must agree; any named backend must be configured
// and available. `available` tells whether a configured backend can run on this host.
Route route(const Config& config, const RouteRequest& request,
            const std::function<bool(const BackendConfig&)>& available);

// True when a rule matches the request.
bool rule_matches(const Rule& rule, const RouteRequest& request);

}  // namespace nexcage::router
