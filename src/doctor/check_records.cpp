#include <set>

#include "nexcage/backend/pct/driver_config.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/doctor/checks.hpp"
#include "nexcage/process/proc.hpp"
#include "nexcage/state/state_root.hpp"
#include "nexcage/state/state_store.hpp"

namespace nexcage::doctor {

namespace fsys = std::filesystem;

namespace {

// The backend root the record names (backend_state.root), when absolute.
std::optional<fsys::path> recorded_root(const state::Record& record) {
  auto it = record.backend_state.find("root");
  if (it == record.backend_state.end() || !it->is_string()) return std::nullopt;
  fsys::path root = it->get<std::string>();
  if (!root.is_absolute()) return std::nullopt;
  return root;
}

// Where the record says the backend keeps this container (runc's and crun's <root>/<id>).
std::optional<fsys::path> backend_dir(const state::Record& record) {
  auto root = recorded_root(record);
  if (!root) return std::nullopt;
  return *root / record.id;
}

bool repair(const state::StateStore& store, const std::string& id, const std::string& why,
            Report& report) {
  try {
    auto container = store.open(id, fs::FileLock::Mode::exclusive);
    store.remove(std::move(container));
    report.add("record " + id, Severity::ok, "removed the stale record (" + why + ")");
    return true;
  } catch (const Error& e) {
    report.add("record " + id, Severity::problem,
               "could not remove the stale record: " + std::string(e.what()),
               "nexcage delete --force " + id);
    return false;
  }
}

// Why a pct record is stale, "" when it is not (or cannot be told). A record whose VMID's
// config carries its mark is a live Proxmox container: never stale, whatever its pid says.
std::string pct_staleness(const state::Record& record, const fsys::path& backend_root,
                          const Host& host, bool abandoned_create, Report& report) {
  auto found = pct_presence(backend_root, record.id, host);
  const std::string vm = std::to_string(found.vmid);
  switch (found.presence) {
    case PctPresence::marked:
      if (abandoned_create)
        report.add("record " + record.id, Severity::warning,
                   "a create that died half-way left Proxmox container " + vm +
                       ", which carries this record's mark; doctor leaves both alone",
                   "inspect it with pct config " + vm + "; `nexcage delete --force " + record.id +
                       "` removes the container and the record if it is not wanted");
      return "";
    case PctPresence::unknown:
      report.add("record " + record.id, Severity::problem,
                 "cannot tell whether its Proxmox container exists: " + found.error,
                 "check the VMID map and " + host.pct.files.config_dir +
                     "; doctor removes nothing it cannot check");
      return "";
    case PctPresence::no_vmid:
      return abandoned_create
                 ? "a create that died half-way, before taking a VMID"
                 : "the pct backend's VMID map (" + (backend_root / "vmids.json").string() +
                       ") has no entry for it";
    case PctPresence::config_gone:
      return "its Proxmox container " + vm + " is gone (no " +
             backend::pct::ct_config_file(host.pct.files.config_dir, found.vmid).string() + ")";
    case PctPresence::unmarked:
      return "VMID " + vm +
             " is another guest now (its description lacks nexcage's mark); that guest is never "
             "touched";
  }
  return "";
}

}  // namespace

void check_records(const fsys::path& root, const router::Config& config, const Host& host,
                   process::Runner& runner, bool repair_stale, Report& report) {
  state::StateStore store(root);
  std::vector<std::string> ids;
  try {
    ids = store.ids();
  } catch (const Error& e) {
    report.add("records", Severity::problem, e.what(), "check the state root's permissions");
    return;
  }
  std::set<std::string> recorded;
  const auto first_finding = report.findings.size();
  int stale = 0;
  for (const auto& id : ids) {
    std::optional<state::Record> record;
    try {
      record = store.peek(id);
    } catch (const Error& e) {
      ++stale;
      recorded.insert(id);  // a record exists, so its backend container is not "lost"
      report.add("record " + id, Severity::problem, std::string("unreadable: ") + e.what(),
                 "nexcage delete --force " + id + " (or doctor --repair)");
      continue;
    }
    if (!record) continue;
    recorded.insert(id);
    // A command handed to its backend (Record::handover: a run, create or delete): in progress
    // while that process lives, even before the backend has made its container; once it has
    // ended and the backend keeps no container, its record is left over by design, not a
    // problem (the next command that meets it removes it, as --repair does).
    if (record->handover) {
      if (process::is_same_live_process(record->handover->pid, record->handover->start_time))
        continue;
      auto dir = backend_dir(*record);
      std::error_code ec;
      if (dir && !fsys::exists(*dir, ec)) {
        if (repair_stale &&
            repair(store, id,
                   "left by a handed-over " + state::to_string(record->handover->command) +
                       " that has ended",
                   report))
          store.forget_handover(id);
        continue;
      }
    }
    std::string why;
    bool abandoned = record->status == state::Status::creating && store.is_abandoned(*record);
    if (record->status == state::Status::creating && !abandoned) continue;  // a create in progress
    std::optional<fsys::path> pct_root;
    if (record->backend == "pct") {
      pct_root = recorded_root(*record);
      if (!pct_root)
        why = "its backend section names no backend root";
      else
        why = pct_staleness(*record, *pct_root, host, abandoned, report);
    } else if (abandoned) {
      why = "a create that died half-way";
    } else {
      auto dir = backend_dir(*record);
      std::error_code ec;
      if (!dir)
        why = "its backend section names no backend root";
      else if (!fsys::exists(*dir, ec))
        why = "the " + record->backend + " container is gone (" + dir->string() + ")";
    }
    if (why.empty()) continue;
    ++stale;
    if (repair_stale) {
      report.add("record " + id, Severity::info, "stale: " + why + "; removing it");
      if (repair(store, id, why, report) && pct_root) {
        auto error = forget_pct_container(*pct_root, id, host, runner);
        if (!error.empty())
          report.add("record " + id, Severity::problem,
                     "could not forget its VMID and template: " + error,
                     "nexcage delete --force " + id);
      }
    } else {
      report.add("record " + id, Severity::problem, "stale: " + why,
                 "nexcage delete --force " + id + ", or nexcage doctor --repair");
    }
  }
  // The reverse: backend containers under nexcage's root that no record accounts for.
  int lost = 0;
  std::error_code ec;
  for (const auto& backend : fsys::directory_iterator(root / state::backends_dir, ec)) {
    if (!backend.is_directory(ec)) continue;
    std::string name = backend.path().filename().string();
    if (name == "pct") {
      // vmids.json, its lock and temporary files are the backend's own, not containers.
      lost += check_pct_map(backend.path(), recorded, host, runner, repair_stale, report);
      continue;
    }
    auto configured = config.backends.find(name);
    for (const auto& entry : fsys::directory_iterator(backend.path(), ec)) {
      std::string id = entry.path().filename().string();
      if (!entry.is_directory(ec) || recorded.count(id)) continue;
      ++lost;
      std::string binary = configured != config.backends.end() ? configured->second.path : name;
      report.add("backend " + name + " container " + id, Severity::problem,
                 "exists in " + backend.path().string() + " but nexcage has no record of it",
                 binary + " --root " + backend.path().string() + " delete --force " + id);
    }
  }
  bool all_ok = true;
  for (auto i = first_finding; i < report.findings.size(); ++i)
    if (report.findings[i].severity == Severity::warning ||
        report.findings[i].severity == Severity::problem)
      all_ok = false;
  if (stale == 0 && lost == 0 && all_ok)
    report.add("records", Severity::ok,
               std::to_string(recorded.size()) + " container record(s) under " + root.string() +
                   ", all matching their backends");
}

}  // namespace nexcage::doctor
