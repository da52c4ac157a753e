#include "nexcage/backend/pct/pve_version.hpp"

#include <string_view>
#include <vector>

#include "nexcage/core/error.hpp"
#include "nexcage/core/search_path.hpp"
#include "nexcage/core/text.hpp"

namespace nexcage::backend::pct {

namespace {

struct Parsed {
  unsigned long epoch = 0;
  std::vector<unsigned long> numbers;
};

std::optional<Parsed> parse(std::string_view v) {
  Parsed p;
  if (auto colon = v.find(':'); colon != std::string_view::npos) {
    auto epoch = v.substr(0, colon);
    if (epoch.empty() || epoch.size() > 9 ||
        epoch.find_first_not_of("0123456789") != std::string_view::npos)
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

std::optional<std::string> parse_dpkg_query_answer(const std::string& text) {
  auto line = text;
  if (!line.empty() && line.back() == '\n') line.pop_back();
  auto space = line.find(' ');
  if (space == std::string::npos || space == 0 || line.find('\n') != std::string::npos)
    throw Error(ErrorKind::system, "dpkg-query answered \"" + excerpt(printable(text)) + "\"");
  // not-installed, config-files, half-installed, ...: only "installed" counts.
  if (line.substr(0, space) != "installed") return std::nullopt;
  auto version = line.substr(space + 1);
  if (version.empty() || version.find(' ') != std::string::npos)
    throw Error(ErrorKind::system, "dpkg-query answered \"" + excerpt(printable(text)) + "\"");
  return version;
}

std::optional<std::string> installed_package_version(process::Runner& runner,
                                                     const std::string& dpkg_query,
                                                     const std::string& package) {
  process::Command cmd;
  cmd.path = dpkg_query;
  cmd.argv = {"dpkg-query", "-W", "-f", "${db:Status-Status} ${Version}\n", "--", package};
  cmd.env = {tool_path_env, "LC_ALL=C"};
  process::Captured answer;
  try {
    answer = runner.capture(cmd);
  } catch (const Error& e) {
    throw Error(ErrorKind::system, "cannot run " + dpkg_query + ": " + e.what(),
                "install dpkg, or set backends.pct.dpkg_query to dpkg-query's path");
  }
  // 1: no package of that name is known to dpkg, which is "not installed".
  if (answer.exit.code() == 1) return std::nullopt;
  if (answer.exit.code() != 0)
    throw Error(ErrorKind::system, dpkg_query + " -W " + package +
                                       " failed: " + excerpt(printable(trim(answer.err)), 200));
  return parse_dpkg_query_answer(answer.out);
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

void check_pve_container(const std::optional<std::string>& installed, const std::string& dpkg_query,
                         const PveContainerNeed& need) {
  if (need.version.empty()) return;
  if (!installed)
    throw Error(ErrorKind::backend,
                std::string(pve_container_package) + " is not installed (asked " + dpkg_query +
                    "): the pct backend runs on a Proxmox VE host",
                "run nexcage on Proxmox VE 9.1 or later, or choose the runc or crun backend");
  auto order = compare_versions(*installed, need.version);
  if (!order)
    throw Error(ErrorKind::backend,
                "cannot compare pve-container's version \"" + excerpt(printable(*installed)) +
                    "\" (from " + dpkg_query + ") with " + need.version,
                "check `dpkg-query -W pve-container`");
  if (*order < 0)
    throw Error(ErrorKind::backend,
                "pve-container " + *installed + " is too old: " + need.what + " needs " +
                    need.version + " or later",
                "upgrade Proxmox VE (apt update && apt full-upgrade), or run this container with "
                "the runc or crun backend");
}

}  // namespace nexcage::backend::pct
