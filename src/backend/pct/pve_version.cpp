#include "nexcage/backend/pct/pve_version.hpp"

#include <fstream>
#include <string_view>
#include <vector>

#include "nexcage/core/error.hpp"

namespace nexcage::backend::pct {

namespace {

std::string_view field_value(std::string_view line, std::string_view name) {
  if (line.size() <= name.size() || line.substr(0, name.size()) != name || line[name.size()] != ':') return {};
  auto value = line.substr(name.size() + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t' || value.back() == '\r'))
    value.remove_suffix(1);
  return value;
}

struct Parsed {
  unsigned long epoch = 0;
  std::vector<unsigned long> numbers;
};

std::optional<Parsed> parse(std::string_view v) {
  Parsed p;
  if (auto colon = v.find(':'); colon != std::string_view::npos) {
    auto epoch = v.substr(0, colon);
    if (epoch.empty() || epoch.size() > 9 || epoch.find_first_not_of("0123456789") != std::string_view::npos)
      return std::nullopt;
    p.epoch = std::stoul(std::string(epoch));
    v.remove_prefix(colon + 1);
  }
  while (!v.empty() && v.front() >= '0' && v.front() <= '9') {
    auto end = v.find_first_not_of("0123456789");
    auto digits = v.substr(0, end);
    if (digits.size() > 9) return std::nullopt;
    p.numbers.push_back(std::stoul(std::string(digits)));
    if (end == std::string_view::npos || v[end] != '.') break;
    v.remove_prefix(end + 1);
  }
  if (p.numbers.empty()) return std::nullopt;
  return p;
}

}  // namespace

std::optional<std::string> installed_package_version(const std::string& status_file, const std::string& package) {
  std::ifstream in(status_file);
  if (!in) throw Error(ErrorKind::system, "cannot read " + status_file + " (dpkg's package status)");
  std::string line, name, status, version;
  auto finish = [&]() -> std::optional<std::string> {
    bool installed = status.size() >= 10 && status.substr(status.size() - 10) == " installed";
    if (name == package && installed && !version.empty()) return version;
    return std::nullopt;
  };
  while (std::getline(in, line)) {
    if (line.empty() || line == "\r") {
      if (auto v = finish()) return v;
      name.clear(), status.clear(), version.clear();
      continue;
    }
    if (auto package = field_value(line, "Package"); !package.empty()) name = package;
    else if (auto state = field_value(line, "Status"); !state.empty()) status = state;
    else if (auto number = field_value(line, "Version"); !number.empty()) version = number;
  }
  if (in.bad()) throw Error(ErrorKind::system, "cannot read " + status_file + " (dpkg's package status)");
  return finish();
}

std::optional<int> compare_versions(const std::string& a, const std::string& b) {
  auto pa = parse(a), pb = parse(b);
  if (!pa || !pb) return std::nullopt;
  if (pa->epoch != pb->epoch) return pa->epoch < pb->epoch ? -1 : 1;
  auto n = std::max(pa->numbers.size(), pb->numbers.size());
  for (std::size_t i = 0; i < n; ++i) {
    auto x = i < pa->numbers.size() ? pa->numbers[i] : 0;
    auto y = i < pb->numbers.size() ? pb->numbers[i] : 0;
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

void check_pve_container(const std::optional<std::string>& installed, const std::string& status_file,
                         const PveContainerNeed& need) {
  if (need.version.empty()) return;
  if (!installed)
    throw Error(ErrorKind::backend,
                std::string(pve_container_package) + " is not installed (by " + status_file +
                    "): the pct backend runs on a Proxmox VE host",
                "run nexcage on Proxmox VE 9.1 or later, or choose the runc or crun backend");
  auto order = compare_versions(*installed, need.version);
  if (!order)
    throw Error(ErrorKind::backend,
                "cannot compare pve-container's version \"" + *installed + "\" (from " + status_file + ") with " +
                    need.version,
                "check `dpkg-query -W pve-container`; set backends.pct.dpkg_status if Proxmox's packages are recorded elsewhere");
  if (*order < 0)
    throw Error(ErrorKind::backend,
                "pve-container " + *installed + " is too old: " + need.what + " needs " + need.version + " or later",
                "upgrade Proxmox VE (apt update && apt full-upgrade), or run this container with the runc or crun backend");
}

}  // namespace nexcage::backend::pct
