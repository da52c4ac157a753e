#pragma once
// File bind mounts whose source the container's root cannot reach (docs/backends/pct.md, "File
// binds from private directories"). A file bind becomes a raw lxc.mount.entry, which LXC mounts
// as the container's root: in an unprivileged container that is host uid 100000, which cannot
// walk into a 0700 directory such as podman's storage (its /etc/hosts, /etc/hostname and
// /run/.containerenv). nexcage copies such a file into a directory of its own that the
// container's root can reach, owned by that root (as runc's container root owns what it is
// given), and binds the copy. The copy is what the file held at create.
#include <sys/types.h>

#include <cstddef>
#include <filesystem>
#include <string>

#include "nexcage/backend/pct/translate.hpp"
#include "nexcage/oci/spec.hpp"

namespace nexcage::backend::pct {

// Larger files are refused rather than copied (a bind of a big file is not a config file).
inline constexpr std::size_t max_bind_file_copy_bytes = 1024 * 1024;

// True when uid/gid may search every directory above `path` (owner, group or other x bit, as
// the kernel checks them without ACLs or supplementary groups).
bool parents_searchable_by(const std::filesystem::path& path, uid_t uid, gid_t gid);

// <host_dir>/files/<SHA-256 of backend_root and id>: the copies of one container.
std::filesystem::path bind_files_dir(const std::filesystem::path& host_dir,
                                     const std::filesystem::path& backend_root,
                                     const std::string& id);

// For every file bind of `spec` whose source (as facts resolved it) uid/gid cannot reach: copies
// it into `dir` (mode 0711, made here; `dir`'s parent must exist), owned by uid/gid with the
// source's permission bits, and points its fact at the copy. Returns how many were copied.
// Throws Error(invalid_input) naming mounts[N].source for a file above the size cap.
std::size_t copy_unreachable_bind_files(const oci::Spec& spec, HostFacts& facts,
                                        const std::filesystem::path& dir, uid_t uid, gid_t gid);

// Removes `dir` and the copies in it (nothing when it does not exist).
void remove_bind_files(const std::filesystem::path& dir);

}  // namespace nexcage::backend::pct
