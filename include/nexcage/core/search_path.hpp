#pragma once
// The PATH values nexcage hands out, so each exists once. Programs are always started by absolute
// path; these are for what those programs start in turn.

namespace nexcage {

// A process that brings no PATH of its own: runc's spec default, given to container processes
// without one and to backends called by a caller without one (podman).
inline constexpr const char* default_path_env =
    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

// The host tools nexcage runs (pct, umoci, dpkg-query, a backend's --version): the system's own
// directories only, so nothing in /usr/local stands in for what they call.
inline constexpr const char* tool_path_env = "PATH=/usr/sbin:/usr/bin:/sbin:/bin";

}  // namespace nexcage
