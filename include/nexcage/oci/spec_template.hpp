#pragma once
#include <nlohmann/json.hpp>

namespace nexcage::oci {

// The config.json written by `nexcage spec`: the same defaults as `runc spec` (sh in a terminal,
// default capabilities, namespaces, masked and readonly paths), with `rootless` adjustments as in
// `runc spec --rootless` (user namespace with the caller's uid/gid mapped, no network namespace,
// bind-mounted /sys, no resource limits).
nlohmann::ordered_json default_spec(bool rootless, uint32_t uid, uint32_t gid);

}  // namespace nexcage::oci
