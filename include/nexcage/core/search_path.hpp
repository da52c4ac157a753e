#pragma once
// The PATH values nexcage hands out, and the absolute paths of the programs it starts, so each
// exists once. Programs are always started by absolute path; the PATH values are for what those
// programs start in turn.

namespace nexcage {

// A process that brings no PATH of its own: runc's spec default, given to container processes
// without one and to backends called by a caller without one (podman).
inline constexpr const char* default_path_env =
    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

// The host tools nexcage runs (pct, umoci, dpkg-query, a backend's --version): the system's own
// directories only, so nothing in /usr/local stands in for what they call.
inline constexpr const char* tool_path_env = "PATH=/usr/sbin:/usr/bin:/sbin:/bin";

// Where Debian and Proxmox VE install the programs nexcage runs. Each is a default: the config
// file may name another (backends.NAME.path, backends.pct.*; docs/configuration.md).
namespace tool_paths {
inline constexpr const char* runc = "/usr/sbin/runc";
inline constexpr const char* crun = "/usr/bin/crun";
inline constexpr const char* pct = "/usr/sbin/pct";
inline constexpr const char* pvesh = "/usr/bin/pvesh";
inline constexpr const char* lxc_info = "/usr/bin/lxc-info";
inline constexpr const char* lxc_attach = "/usr/bin/lxc-attach";
inline constexpr const char* lxc_freeze = "/usr/bin/lxc-freeze";
inline constexpr const char* lxc_unfreeze = "/usr/bin/lxc-unfreeze";
inline constexpr const char* tar = "/usr/bin/tar";
inline constexpr const char* umoci = "/usr/bin/umoci";
inline constexpr const char* skopeo = "/usr/bin/skopeo";
inline constexpr const char* dpkg_query = "/usr/bin/dpkg-query";
inline constexpr const char* ps = "/bin/ps";
}  // namespace tool_paths

}  // namespace nexcage
