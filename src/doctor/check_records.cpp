#include <set>

#include "nexcage/core/error.hpp"
#include "nexcage/doctor/doctor.hpp"
#include "nexcage/state/state_store.hpp"

namespace nexcage::doctor {

namespace fsys = std::filesystem;

namespace {

// Where the record says the backend keeps this container (runc's and crun's <root>/<id>).
std::optional<fsys::path> backend_dir(const state::Record& record) {
  auto it = record.backend_state.find("root");
  if (it == record.backend_state.end() || !it->is_string()) return std::nullopt;
  fsys::path root = it->get<std::string>();
  if (!root.is_absolute()) return std::nullopt;
  return root / record.id;
}

void repair(const state::StateStore& store, const std::string& id, const std::string& why, Report& report) {
  try {
    auto container = store.open(id, fs::FileLock::Mode::exclusive);
    store.remove(std::move(container));
    report.add("record " + id, Severity::ok, "removed the stale record (" + why + ")");
  } catch (const Error& e) {
    report.add("record " + id, Severity::problem, "could not remove the stale record: " + std::string(e.what()),
               "nexcage delete --force " + id);
  }
}

}  // namespace

void check_records(const fsys::path& root, const router::Config& config, bool repair_stale, Report& report) {
  state::StateStore store(root);
  std::vector<std::string> ids;
  try {
    ids = store.ids();
  } catch (const Error& e) {
    report.add("records", Severity::problem, e.what(), "check the state root's permissions");
    return;
  }
  std::set<std::string> recorded;
  int stale = 0;
  for (const auto& id : ids) {
    std::optional<state::Record> record;
    try {
      record = store.peek(id);
    } catch (const Error& e) {
      ++stale;
      report.add("record " + id, Severity::problem, std::string("unreadable: ") + e.what(),
                 "nexcage delete --force " + id + " (or doctor --repair)");
      continue;
    }
    if (!record) continue;
    recorded.insert(id);
    std::string why;
    if (record->status == state::Status::creating) {
      if (!store.is_abandoned(*record)) continue;  // a create in progress
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
      repair(store, id, why, report);
    } else {
      report.add("record " + id, Severity::problem, "stale: " + why,
                 "nexcage delete --force " + id + ", or nexcage doctor --repair");
    }
  }
  // The reverse: backend containers under nexcage's root that no record accounts for.
  int lost = 0;
  std::error_code ec;
  for (const auto& backend : fsys::directory_iterator(root / ".backends", ec)) {
    if (!backend.is_directory(ec)) continue;
    std::string name = backend.path().filename().string();
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
  if (stale == 0 && lost == 0)
    report.add("records", Severity::ok, std::to_string(recorded.size()) + " container record(s) under " +
                                             root.string() + ", all matching their backends");
}

}  // namespace nexcage::doctor
