// pct records are checked against the VMID map and Proxmox's config, not against a runc-style
// <backend root>/<id> directory (the pct backend root holds vmids.json and its lock, nothing per
// container), and never by the recorded pid. Doctor never destroys a Proxmox container.
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <map>

#include "nexcage/backend/pct/bind_files.hpp"
#include "nexcage/backend/pct/driver_config.hpp"
#include "nexcage/backend/pct/ownership.hpp"
#include "nexcage/backend/pct/template_cache.hpp"
#include "nexcage/backend/pct/vmid_map.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/doctor/checks.hpp"
#include "nexcage/fs/files.hpp"

namespace nexcage::doctor {

namespace fsys = std::filesystem;
namespace pct = backend::pct;

namespace {

// The map without creating the backend root (VmidMap makes it, and doctor changes nothing
// unless repairing).
std::map<std::string, uint32_t> map_entries(const fsys::path& backend_root) {
  if (!fs::is_directory(backend_root, fs::Links::refuse)) return {};
  return pct::VmidMap(backend_root).entries();
}

PctLookup config_presence(const fsys::path& backend_root, const std::string& id, uint32_t vmid,
                          const Host& host) {
  PctLookup out;
  out.vmid = vmid;
  auto file = pct::ct_config_file(host.pct.files.config_dir, vmid);
  struct stat st {};
  if (::lstat(file.c_str(), &st) < 0) {
    if (errno == ENOENT) {
      out.presence = PctPresence::config_gone;
    } else {
      out.error = "reading " + file.string() + ": " + std::strerror(errno);
    }
    return out;
  }
  try {
    auto description =
        pct::description_from_config(fs::read_regular_file(file, pct::max_ct_config_bytes));
    out.presence = pct::carries_mark(description, pct::owner_mark(id, backend_root))
                       ? PctPresence::marked
                       : PctPresence::unmarked;
  } catch (const Error& e) {
    out.error = e.what();
  }
  return out;
}

}  // namespace

PctLookup pct_presence(const fsys::path& backend_root, const std::string& id, const Host& host) {
  try {
    auto entries = map_entries(backend_root);
    auto it = entries.find(id);
    if (it == entries.end()) return {PctPresence::no_vmid, 0, ""};
    return config_presence(backend_root, id, it->second, host);
  } catch (const Error& e) {
    return {PctPresence::unknown, 0, e.what()};
  }
}

std::string forget_pct_container(const fsys::path& backend_root, const std::string& id,
                                 const Host& host, process::Runner& runner) {
  try {
    if (fs::is_directory(backend_root, fs::Links::refuse)) pct::VmidMap(backend_root).release(id);
    pct::TemplateCache(host.pct.files, host.pct.tools, runner, host.pct.host_dir)
        .release({backend_root, id});
    pct::remove_bind_files(pct::bind_files_dir(host.pct.host_dir, backend_root, id));
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

int check_pct_map(const fsys::path& backend_root, const std::set<std::string>& recorded,
                  const Host& host, process::Runner& runner, bool repair, Report& report) {
  std::map<std::string, uint32_t> entries;
  try {
    entries = map_entries(backend_root);
  } catch (const Error& e) {
    report.add("backend pct", Severity::problem, e.what(), e.hint());
    return 1;
  }
  int findings = 0;
  for (const auto& [id, vmid] : entries) {
    if (recorded.count(id)) continue;
    const std::string check = "backend pct container " + id;
    const std::string vm = std::to_string(vmid);
    auto found = config_presence(backend_root, id, vmid, host);
    ++findings;
    switch (found.presence) {
      case PctPresence::marked:
        // A live container: what nexcage lost is its own record, not the container.
        report.add(check, Severity::warning,
                   "Proxmox container " + vm + " carries the mark of " + id + " in " +
                       backend_root.string() +
                       ", but nexcage has no record of it; doctor leaves it alone",
                   "it keeps running under Proxmox; manage it with pct (pct config " + vm + ")");
        break;
      case PctPresence::unknown:
        report.add(
            check, Severity::problem,
            "cannot tell whether VMID " + vm + " is " + id + "'s: " + found.error,
            "check that " + host.pct.files.config_dir + " is readable (is pve-cluster running?)");
        break;
      case PctPresence::config_gone:
      case PctPresence::unmarked:
      case PctPresence::no_vmid: {
        std::string why =
            found.presence == PctPresence::config_gone
                ? "VMID " + vm + " no longer exists in Proxmox"
                : "VMID " + vm + " is another guest now (its description lacks nexcage's mark)";
        if (!repair) {
          report.add(check, Severity::problem,
                     "the VMID map names " + id + " but nexcage has no record of it: " + why,
                     "nexcage doctor --repair forgets the VMID (the guest is never touched)");
          break;
        }
        auto error = forget_pct_container(backend_root, id, host, runner);
        if (error.empty()) {
          --findings;
          report.add(check, Severity::ok, "forgot VMID " + vm + " (" + why + ")");
        } else {
          report.add(
              check, Severity::problem, "could not forget VMID " + vm + ": " + error,
              "remove \"" + id + "\" from " + (backend_root / "vmids.json").string() + " by hand");
        }
        break;
      }
    }
  }
  return findings;
}

}  // namespace nexcage::doctor
