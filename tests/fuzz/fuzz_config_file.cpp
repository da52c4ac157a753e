// nexcage's own config file (/etc/nexcage/config.json, docs/configuration.md) as load_config reads
// it: parse_json_document, router::parse_config (keys, backends, rules with their glob or regex),
// then what a create does with it: the pct backend's options (parse_driver_config) and routing a
// fixed request through the rules. Only nexcage::Error may leave these functions.
// The lenient reader (what kill, delete, state and list use) must never throw for the document,
// and must accept whatever the strict one accepts, skipping nothing.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "nexcage/backend/pct/driver_config.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/fs/json_file.hpp"
#include "nexcage/router/config.hpp"
#include "nexcage/router/router.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string source = "/etc/nexcage/config.json";
  nlohmann::json doc;
  try {
    doc = nexcage::fs::parse_json_document(text, source);
  } catch (const nexcage::Error&) {
    return 0;
  }
  std::vector<std::string> skipped;
  auto lenient = nexcage::router::parse_config_leniently(doc, source, skipped);
  nexcage::router::Config config;
  try {
    config = nexcage::router::parse_config(doc, source);
  } catch (const nexcage::Error&) {
    return 0;
  }
  if (!skipped.empty() || lenient.rules.size() != config.rules.size() ||
      lenient.backends.size() != config.backends.size()) {
    std::fprintf(stderr, "parse_config accepts what parse_config_leniently skips (%zu skipped)\n",
                 skipped.size());
    std::abort();
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
    (void)nexcage::router::route(config, request,
                                 [](const nexcage::router::BackendConfig&) { return true; });
  } catch (const nexcage::Error&) {
  }
  return 0;
}
