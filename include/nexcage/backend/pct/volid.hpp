#pragma once
// Proxmox template volids (STORAGE:vztmpl/FILE), checked by hand: the value comes from the
// command line or an annotation, and becomes a positional argument of `pct create`.
#include <cstddef>
#include <string_view>

namespace nexcage::backend::pct {

// Longer volids are refused before the pattern is looked at (PATH_MAX: the file must exist).
inline constexpr std::size_t max_template_volid = 4096;

// pve-storage-id ":vztmpl/" a file name without '/' ending in .tar, .tar.gz, .tar.xz, .tar.zst or
// .tar.bz2 (case-insensitive, as pve-storage's vztmpl pattern), with at least one character
// before the extension.
bool is_template_volid(std::string_view volid);

// The fix for a value that is not a template volid.
inline constexpr const char* template_volid_hint =
    "use STORAGE:vztmpl/FILE.tar[.gz|.xz|.zst|.bz2], as `pveam list STORAGE` shows";

}  // namespace nexcage::backend::pct
