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

// The gate of a pct container's first start (docs/backends/pct.md, "The created state"): the
// lines that make that one start wait in nexcage-init, which the config must not keep, so that
// every later start (the GUI, onboot, `pct start`) runs the application directly.
struct Gate {
  std::string entrypoint;      // the entrypoint without the gate: the application
  std::vector<RawLine> lines;  // raw lines that exist only for the first start
};

// The config text without the gate: the main section's `entrypoint:` line set to
// gate.entrypoint and each of gate.lines removed (pure; tested). Throws Error(backend) when the
// config holds no entrypoint line, or a gate line is missing: someone else changed it.
std::string with_gate_closed(const std::string& config_text, const Gate& gate);

// Rewrites <vmid>.conf without the gate, under Proxmox's flock. The running container keeps
// what it was started with; the file says what the next start does.
void close_gate(const PveFiles& files, uint32_t vmid, const Gate& gate);

}  // namespace nexcage::backend::pct
