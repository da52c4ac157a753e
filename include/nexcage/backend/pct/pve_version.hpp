#pragma once
// Which pve-container the host runs, and whether it understands what a translation writes. Keys
// such as `entrypoint`, `env` and `host-managed` are recent (pve-container 6.1); an older Proxmox
// drops or refuses them in ways that surface only at start, so create checks first.
// The version is asked of dpkg-query (dpkg's own database is private to dpkg).
#include <optional>
#include <string>

#include "nexcage/backend/pct/translate.hpp"
#include "nexcage/process/runner.hpp"

namespace nexcage::backend::pct {

inline constexpr const char* pve_container_package = "pve-container";

// The installed version of `package`: `dpkg-query -W -f '${db:Status-Status} ${Version}\n'`
// run through `runner` (`dpkg_query` is its absolute path). nullopt when the package is unknown
// to dpkg or not installed (removed with its config files kept). Throws Error(system) when
// dpkg-query cannot be run or answers something else.
std::optional<std::string> installed_package_version(process::Runner& runner,
                                                     const std::string& dpkg_query,
                                                     const std::string& package);
// That answer's text -> the version; nullopt for a status other than "installed". Throws
// Error(system) for text that is not "<status> <version>".
std::optional<std::string> parse_dpkg_query_answer(const std::string& text);

// Compares two Debian versions by epoch, then by the dotted numbers that start the upstream part
// ("6.1.10" > "6.1.9" > "6.1" == "6.1.0"), which is how Proxmox numbers its packages. nullopt when
// either has no number to compare.
std::optional<int> compare_versions(const std::string& a, const std::string& b);

// Throws Error(backend) naming the installed version (`installed`, as `dpkg_query` answered),
// what needs a newer one and the fix, when pve-container is missing or older than `need`.
void check_pve_container(const std::optional<std::string>& installed, const std::string& dpkg_query,
                         const PveContainerNeed& need);

}  // namespace nexcage::backend::pct
