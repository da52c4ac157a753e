// The container's stop signal -> raw lxc.signal.halt: what `pct shutdown` (and the GUI's
// Shutdown, lxc-stop without --kill) sends to the init. Without it LXC sends SIGPWR, which an
// application as pid 1 ignores (pid 1 receives only signals it has a handler for), so every
// shutdown would wait for its timeout. The source is the annotation
// org.opencontainers.image.stopSignal (podman and containerd copy the image's StopSignal into
// it); the default is SIGTERM, as Proxmox's own OCI import writes.
//
// The value is written in a form LXC's sig_parse (confile.c) reads: "SIG" + a name
// (case-insensitive), "SIGRTMIN+N" / "SIGRTMAX-N" (a bare "SIGRTMIN" it would misread), or a
// number.
#include <cctype>

#include "mapping.hpp"
#include "nexcage/backend/pct/driver_config.hpp"
#include "nexcage/core/text.hpp"
#include "nexcage/process/signals.hpp"

namespace nexcage::backend::pct::detail {

namespace {

const char* const stop_signal_annotation = "org.opencontainers.image.stopSignal";

// Signal numbers are Linux's generic ones on every arch pct offers (amd64, arm64, riscv), which
// are this host's (process/signals.hpp); aliases map to the canonical name so LXC's table always
// knows it.
constexpr int max_signal = 64;  // SIGRTMAX on Linux
constexpr int rt_min = 34;      // glibc's SIGRTMIN (32 and 33 are the C library's own)
constexpr int max_rt_offset = max_signal - rt_min;

// "15", "+3": digits only, within [0, max]; nullopt otherwise.
std::optional<int> small_number(const std::string& s, int max) {
  if (s.empty() || s.size() > 3) return std::nullopt;
  int n = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  return n <= max ? std::optional<int>(n) : std::nullopt;
}

// The lxc.signal.halt text for a stop signal as OCI tools write it ("SIGTERM", "term", "15",
// "SIGRTMIN+3", "RTMAX-1"); nullopt for anything that is not a signal.
std::optional<std::string> halt_signal(const std::string& raw) {
  if (auto n = small_number(raw, max_signal)) {
    if (*n == 0) return std::nullopt;
    if (auto* name = process::signal_name(*n)) return std::string("SIG") + name;
    if (*n >= rt_min) return "SIGRTMIN+" + std::to_string(*n - rt_min);
    return std::to_string(*n);  // 32, 33: no name, but LXC takes the number
  }
  std::string name = upper_ascii(raw);
  if (name.rfind("SIG", 0) == 0) name.erase(0, 3);
  for (const auto& s : process::signal_names())
    if (name == s.name) return std::string("SIG") + process::signal_name(s.number);
  for (const char* base : {"RTMIN", "RTMAX"}) {
    if (name.rfind(base, 0) != 0) continue;
    auto rest = name.substr(5);
    bool min = base[3] == 'I';
    if (rest.empty()) return std::string("SIG") + base + (min ? "+0" : "-0");
    if (rest.front() != (min ? '+' : '-')) return std::nullopt;
    auto offset = small_number(rest.substr(1), max_rt_offset);
    if (!offset) return std::nullopt;
    return std::string("SIG") + base + rest.front() + std::to_string(*offset);
  }
  return std::nullopt;
}

}  // namespace

void map_stop_signal(Builder& b) {
  auto it = b.spec.annotations.find(stop_signal_annotation);
  // umoci writes the annotation empty for an image without a StopSignal: that is "not set".
  if (it == b.spec.annotations.end() || it->second.empty()) {
    // A template's own init (systemd) shuts down on SIGRTMIN+3, which LXC picks by itself when
    // the init blocks it; SIGTERM would make systemd re-execute instead of stopping.
    if (b.spec.annotations.count(template_annotation) == 0) b.raw("lxc.signal.halt", "SIGTERM");
    return;
  }
  auto path = std::string("annotations.") + stop_signal_annotation;
  if (too_long(b, path, "the value", it->second.size(), 32)) return;
  if (auto text = halt_signal(it->second))
    b.raw("lxc.signal.halt", *text);
  else
    b.refuse(path, quote_value(it->second) +
                       " is not a signal; use a name such as \"SIGTERM\" or \"SIGRTMIN+3\", or a "
                       "number from 1 to 64");
}

}  // namespace nexcage::backend::pct::detail
