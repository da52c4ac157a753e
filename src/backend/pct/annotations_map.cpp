// annotations -> --tags and --description. Tags are what the PVE GUI and `pct list` filters show,
// so they stay few: "nexcage" plus whatever org.nexcage.tags lists; every annotation is kept
// readable in the description (the only free-text field, at most 8192 characters).
#include <cctype>
#include <cstdio>
#include <set>

#include "mapping.hpp"

namespace nexcage::backend::pct::detail {

namespace {

constexpr std::size_t max_description = 8192;
const char* const tags_annotation = "org.nexcage.tags";

std::string printable(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

}  // namespace

void map_annotations(Builder& b) {
  std::vector<std::string> tags{"nexcage"};
  std::set<std::string> seen{"nexcage"};
  auto it = b.spec.annotations.find(tags_annotation);
  if (it != b.spec.annotations.end()) {
    std::string word;
    auto flush = [&] {
      if (word.empty()) return;
      auto tag = sanitize_tag(word);
      auto lower = word;
      for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      // Lowercasing is what Proxmox does itself; only a changed character is worth a warning.
      if (tag != lower)
        b.warn(std::string("annotations.") + tags_annotation,
               "tag " + quote_value(word) + " becomes " + quote_value(tag) +
                   " (Proxmox tags are lowercase letters, digits, '_', '-', '+', '.')");
      if (seen.insert(tag).second) tags.push_back(tag);
      word.clear();
    };
    for (char c : it->second) {
      if (c == ',' || c == ';' || c == ' ')
        flush();
      else
        word += c;
    }
    flush();
  }
  std::string joined;
  for (const auto& t : tags) joined += (joined.empty() ? "" : ";") + t;
  b.option("tags", joined);

  if (b.spec.annotations.empty()) return;
  std::string description = "OCI annotations:";
  std::size_t shown = 0;
  for (const auto& [key, value] : b.spec.annotations) {
    auto line = "\n" + printable(key) + ": " + printable(value);
    // Leave room for the closing note so the result always fits.
    if (description.size() + line.size() > max_description - 64) break;
    description += line;
    ++shown;
  }
  if (shown < b.spec.annotations.size()) {
    auto rest = b.spec.annotations.size() - shown;
    description += "\n(" + std::to_string(rest) + " more not shown)";
    b.warn("annotations", std::to_string(rest) +
                              " annotation(s) do not fit in Proxmox's 8192-character description "
                              "and are left out of it");
  }
  b.option("description", description);
}

}  // namespace nexcage::backend::pct::detail
