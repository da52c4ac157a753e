#include <sstream>

#include "nexcage/core/text.hpp"
#include "nexcage/doctor/checks.hpp"
#include "nexcage/fs/files.hpp"

namespace nexcage::doctor {

std::vector<Mount> read_mounts(const std::filesystem::path& mounts_file) {
  std::string text;
  if (!fs::read_proc_file(mounts_file, text, 4 << 20)) return {};
  std::vector<Mount> mounts;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    std::string source, point, type, options;
    if (!(fields >> source >> point >> type >> options)) continue;
    mounts.push_back(Mount{unescape_octal(point), type, options});
  }
  return mounts;
}

std::optional<Mount> mount_of(const std::vector<Mount>& mounts, const std::filesystem::path& path) {
  std::optional<Mount> best;
  const std::string p = path.lexically_normal().string();
  for (const auto& m : mounts) {  // later mounts shadow earlier ones at the same point
    bool covers = m.point == "/" || p == m.point || p.rfind(m.point + "/", 0) == 0;
    if (covers && (!best || m.point.size() >= best->point.size())) best = m;
  }
  return best;
}

}  // namespace nexcage::doctor
