#pragma once
// What translate() needs to know about the host (it is pure and never stats anything itself):
// for every mount source of config.json, whether it is a directory, a file or missing, and its
// symlink-free absolute path; for every linux.devices path, whether it is a char or block device
// (and which) or missing.
#include "nexcage/backend/pct/translate.hpp"

namespace nexcage::backend::pct {

HostFacts host_facts_for(const oci::Spec& spec);

}  // namespace nexcage::backend::pct
