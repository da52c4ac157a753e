#pragma once
// Raw lxc.* lines cannot be set through pct or the API; they exist only as lines of
// /etc/pve/lxc/<vmid>.conf. They are written the way Proxmox writes its own configs: under the
// per-container flock Proxmox uses (pve-config-<vmid>.lock, waited for up to 10 s as Proxmox
// does), before the first [section], by writing a new file and renaming it over the old one.
#include <cstdint>
#include <string>
#include <vector>

#include "nexcage/backend/pct/driver_config.hpp"
#include "nexcage/backend/pct/translate.hpp"

namespace nexcage::backend::pct {

// The config file text with `lines` added after the main section's last line (pure; tested).
// Throws Error(invalid_input) for a value with a newline, which Proxmox would refuse too.
std::string with_raw_lines(const std::string& config_text, const std::vector<RawLine>& lines);

void append_raw_lines(const PveFiles& files, uint32_t vmid, const std::vector<RawLine>& lines);

}  // namespace nexcage::backend::pct
