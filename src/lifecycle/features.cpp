#include "internal.hpp"
#include "nexcage/router/router.hpp"

namespace nexcage::lifecycle {

// Describes the backend a container would be routed to now (--backend, else the config's
// default, else the first available), so a client never sees a feature that backend lacks.
std::string features(Context& ctx) {
  auto route = router::route(
      ctx.config(), router::RouteRequest{"", {}, ctx.backend_flag()},
      [&](const router::BackendConfig& b) { return ctx.backend(b.name)->available(); });
  auto doc = ctx.backend(route.backend)->features();
  if (!doc.contains("annotations") || !doc["annotations"].is_object())
    doc["annotations"] = nlohmann::json::object();
  doc["annotations"]["org.nexcage.backend"] = route.backend;
  doc["annotations"]["org.nexcage.version"] = NEXCAGE_VERSION;
  return doc.dump(4) + "\n";
}

}  // namespace nexcage::lifecycle
