// nexcage's own config file (/etc/nexcage/config.json, docs/configuration.md) as load_config reads
// it: parse_json_document, router::parse_config (keys, backends, rules with their glob or regex),
// then what a create does with it: the pct backend's options (parse_driver_config) and routing a
// fixed request through the rules. Only nexcage::Error may leave these functions.
#include <cstdint>
#include <string>
#include <string_view>

#include "known_findings.hpp"
#include "nexcage/backend/pct/driver_config.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/oci/bundle.hpp"
#include "nexcage/router/config.hpp"
#include "nexcage/router/router.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (nexcage_fuzz::regex_number_overflow(text)) return 0;
  const std::string source = "/etc/nexcage/config.json";
  nexcage::router::Config config;
  try {
    config = nexcage::router::parse_config(nexcage::oci::parse_json_document(text, source), source);
  } catch (const nexcage::Error&) {
    return 0;
  } catch (const nlohmann::json::out_of_range& e) {
    nexcage_fuzz::json_number_overflow(e);
    return 0;
  }
  try {
    (void)nexcage::backend::pct::parse_driver_config(config.backends.at("pct"));
  } catch (const nexcage::Error&) {
  }
  // Rules are matched against ids and annotation values of at most a few hundred bytes; a short
  // fixed request keeps a pathological regex from being mistaken for a hang of the reader.
  nexcage::router::RouteRequest request{
      "web-7f3a9c",
      {{"io.kubernetes.cri.sandbox-name", "fast-sandbox"}, {"org.nexcage.backend", "crun"}},
      std::nullopt};
  try {
    (void)nexcage::router::route(config, request, [](const nexcage::router::BackendConfig&) { return true; });
  } catch (const nexcage::Error&) {
  }
  return 0;
}
