#pragma once
#include <string>

#include <nlohmann/json.hpp>

namespace nexcage::backend {

// features.md document for a runc-compatible backend without a `features` command, built from
// what this host's libcap and libseccomp know and what every OCI runtime supports. Fields that
// cannot be known are left out (absent means unknown, never false).
nlohmann::json derived_features(const std::string& backend, const std::string& version_line);

}  // namespace nexcage::backend
