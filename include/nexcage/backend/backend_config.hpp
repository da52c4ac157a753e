#pragma once
// A backend as the config file names it. Its own header so the router can hold backends without
// seeing the Backend API, and the drivers can read their options without seeing the router.
#include <string>

#include <nlohmann/json.hpp>

namespace nexcage::backend {

struct BackendConfig {
  std::string name;  // runc, crun, pct
  std::string path;  // absolute path of the binary
  nlohmann::json options =
      nlohmann::json::object();  // driver-specific keys, validated by the driver
};

}  // namespace nexcage::backend
