#pragma once
// Which pve-container the host runs, and whether it understands what a translation writes. Keys
// such as `entrypoint`, `env` and `host-managed` are recent (pve-container 6.1); an older Proxmox
// drops or refuses them in ways that surface only at start, so create checks first.
// The version is read from dpkg's status file, as pveversion does, without running anything.
#include <optional>
#include <string>

#include "nexcage/backend/pct/translate.hpp"

namespace nexcage::backend::pct {

inline constexpr const char* pve_container_package = "pve-container";

// The installed version of `package` in a dpkg status file, or nullopt when it is not installed
// (no paragraph, or a Status other than "... installed"). Throws Error(system) if the file cannot
// be read.
std::optional<std::string> installed_package_version(const std::string& status_file, const std::string& package);

// Compares two Debian versions by epoch, then by the dotted numbers that start the upstream part
// ("6.1.10" > "6.1.9" > "6.1" == "6.1.0"), which is how Proxmox numbers its packages. nullopt when
// either has no number to compare.
std::optional<int> compare_versions(const std::string& a, const std::string& b);

// Throws Error(backend) naming the installed version (`installed`, as read from `status_file`),
// what needs a newer one and the fix, when pve-container is missing or older than `need`.
void check_pve_container(const std::optional<std::string>& installed, const std::string& status_file,
                         const PveContainerNeed& need);

}  // namespace nexcage::backend::pct
