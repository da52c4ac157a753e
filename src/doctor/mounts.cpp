#include <sstream>

#include "nexcage/doctor/checks.hpp"
#include "nexcage/fs/files.hpp"

namespace nexcage::doctor {

namespace {

// /proc/mounts escapes blanks, tabs, newlines and backslashes in paths as octal (\040 ...).
std::string unescape(const std::string& field) {
  std::string out;
  for (std::size_t i = 0; i < field.size(); ++i) {
    if (field[i] == '\\' && i + 3 < field.size()) {
      auto digits = field.substr(i + 1, 3);
      if (digits.find_first_not_of("01234567") == std::string::npos) {
        out += static_cast<char>(std::stoi(digits, nullptr, 8));
        i += 3;
        continue;
      }
    }
    out += field[i];
  }
  return out;
}

}  // namespace

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
    mounts.push_back(Mount{unescape(point), type, options});
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
