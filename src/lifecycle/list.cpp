#include <sys/stat.h>

#include <algorithm>

#include "internal.hpp"
#include "nexcage/core/account_file.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/core/log.hpp"
#include "nexcage/fs/files.hpp"

namespace nexcage::lifecycle {

namespace {

// The owner column: the state directory's owner by name, from the host's /etc/passwd (as runc
// names it), "#uid" for an id the file does not list. The file is read once per list.
class Owners {
 public:
  std::string of(const std::filesystem::path& dir) {
    struct stat st {};
    if (::stat(dir.c_str(), &st) < 0) return "";
    if (!passwd_) {
      try {
        passwd_ = parse_account_file(fs::read_regular_file("/etc/passwd", max_passwd_bytes));
      } catch (const Error& e) {
        log::debug(std::string("no owner names: ") + e.what());
        passwd_.emplace();
      }
    }
    if (auto name = user_name_of(*passwd_, st.st_uid)) return *name;
    return "#" + std::to_string(st.st_uid);
  }

 private:
  static constexpr std::size_t max_passwd_bytes = 64 << 20;
  std::optional<std::vector<AccountEntry>> passwd_;
};

}  // namespace

namespace detail {

// Columns padded to the widest cell plus three spaces, at least 12 wide (runc's tabwriter).
std::string table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> widths;
  for (const auto& row : rows)
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (widths.size() <= i) widths.push_back(0);
      widths[i] = std::max(widths[i], row[i].size());
    }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size())
        line.append(std::max<std::size_t>(widths[i] + 3, 12) - row[i].size(), ' ');
    }
    out += line + "\n";
  }
  return out;
}

std::vector<state::Record> listed_records(Context& ctx) {
  std::vector<state::Record> records;
  auto ids = ctx.store().ids();
  records.reserve(ids.size());
  for (const auto& id : ids) {
    try {
      auto stored = ctx.store().peek(id);
      if (!stored) continue;
      auto record = detail::settled(ctx, std::move(*stored));
      // A command handed to its backend that has ended leaving nothing: its record is left over.
      if (!record) {
        detail::clean_up("removing the record of " + id, [&] { detail::settle_ended(ctx, id); });
        continue;
      }
      // Not listed while its create runs (runc lists only containers that exist); an abandoned
      // create is, as stopped, so that it can be deleted.
      if (record->status != state::Status::creating ||
          (!record->handover && ctx.store().is_abandoned(*record)))
        records.push_back(std::move(*record));
    } catch (...) {
      // One damaged record must not hide the others from a client polling `list`.
      log::warn(to_error(std::current_exception(), "skipping " + id).what());
    }
  }
  // After a reboot wiped the root: what the backends still hold for it (pct: Proxmox).
  for (auto& record : detail::recovered_records(ctx)) records.push_back(std::move(record));
  return records;
}

std::optional<Listed> observe_listed(Context& ctx, const state::Record& record) {
  try {
    Listed listed;
    listed.driver = ctx.backend(record.backend);
    listed.view = observe(ctx, record, *listed.driver);
    if (const auto* life = listed.driver->outside_life()) listed.vmid = life->outside_id(record);
    return listed;
  } catch (...) {
    log::warn(to_error(std::current_exception(), "status of " + record.id).what());
    return std::nullopt;
  }
}

void check_table_or_json(const std::string& format) {
  if (format != "table" && format != "json")
    throw Error(ErrorKind::usage, "invalid format option \"" + format + "\"", "use table or json");
}

}  // namespace detail

std::string list(Context& ctx, const std::string& format, bool quiet) {
  detail::check_table_or_json(format);
  std::vector<std::vector<std::string>> rows{
      {"ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER", "BACKEND", "VMID"}};
  bool any_vmid = false;
  nlohmann::ordered_json json = nlohmann::ordered_json::array();
  std::string ids;
  Owners owners;
  for (const auto& r : detail::listed_records(ctx)) {
    const auto* record = &r;
    const auto& id = r.id;
    ids += id + "\n";
    if (quiet) continue;
    View view;
    std::optional<uint32_t> outside_id;
    if (auto listed = detail::observe_listed(ctx, *record)) {
      view = listed->view;
      outside_id = listed->vmid;
    }
    auto owner = owners.of(ctx.store().dir_of(id));
    any_vmid = any_vmid || outside_id.has_value();
    if (format == "json") {
      auto entry = state_object(*record, view, owner);
      // Beyond runc's fields: which backend serves it, as the table's BACKEND column shows.
      entry["backend"] = record->backend;
      if (outside_id) entry["vmid"] = *outside_id;
      json.push_back(std::move(entry));
      continue;
    }
    rows.push_back({id, std::to_string(view.pid), state::to_string(view.status), record->bundle,
                    record->created, owner, record->backend,
                    outside_id ? std::to_string(*outside_id) : std::string()});
  }
  if (quiet) return ids;
  // The VMID column appears only on hosts with pct containers, so elsewhere the table stays runc's
  // plus BACKEND.
  for (auto& row : rows) {
    if (!any_vmid) row.resize(7);
  }
  if (format == "json") return json.dump() + "\n";
  return detail::table(rows);
}

}  // namespace nexcage::lifecycle
