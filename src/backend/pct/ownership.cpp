#include "nexcage/backend/pct/ownership.hpp"

#include <algorithm>
#include <vector>

namespace nexcage::backend::pct {

namespace {

constexpr std::size_t max_description = 8192;  // pct's maxLength for description

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string owner_mark(const std::string& id, const std::filesystem::path& backend_root) {
  return "nexcage container " + id + "\nnexcage root " + backend_root.string();
}

std::string marked_description(const std::string& mark, const std::string& description) {
  if (description.empty()) return mark;
  std::string out = mark + "\n" + description;
  if (out.size() <= max_description) return out;
  // Annotations are listed one per line after the mark; keep whole lines that fit.
  auto cut = out.rfind('\n', max_description);
  if (cut == std::string::npos || cut < mark.size()) cut = mark.size();
  return out.substr(0, cut);
}

std::string decode_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
        hex_value(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string description_from_config(std::string_view config_text) {
  std::string description;
  bool first = true;
  std::size_t pos = 0;
  while (pos < config_text.size()) {
    auto nl = config_text.find('\n', pos);
    auto line =
        config_text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? config_text.size() : nl + 1;
    if (!line.empty() && line.front() == '[') break;  // pending changes or a snapshot
    if (line.empty() || line.front() != '#') continue;
    if (!first) description += '\n';
    description += decode_text(line.substr(1));
    first = false;
  }
  return description;
}

std::string recovery_lines(const std::string& created, const std::string& bundle) {
  std::string out = "nexcage created " + created;
  // Proxmox's reader decodes %XX that its writer leaves alone: such a path would not read back.
  bool plain = !bundle.empty() && bundle.find('%') == std::string::npos &&
               std::none_of(bundle.begin(), bundle.end(), [](char c) {
                 return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
               });
  if (plain) out += "\nnexcage bundle " + bundle;
  return out;
}

std::optional<ReadMark> read_mark(std::string_view description) {
  std::vector<std::string_view> lines;
  for (std::size_t pos = 0; pos <= description.size() && lines.size() < 4;) {
    auto nl = description.find('\n', pos);
    auto end = nl == std::string_view::npos ? description.size() : nl;
    lines.push_back(description.substr(pos, end - pos));
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  auto after = [](std::string_view line, std::string_view prefix) -> std::optional<std::string> {
    if (line.substr(0, prefix.size()) != prefix || line.size() == prefix.size())
      return std::nullopt;
    return std::string(line.substr(prefix.size()));
  };
  if (lines.size() < 2) return std::nullopt;
  auto id = after(lines[0], "nexcage container ");
  auto root = after(lines[1], "nexcage root ");
  if (!id || !root) return std::nullopt;
  ReadMark mark{*id, *root, {}, {}};
  for (std::size_t i = 2; i < lines.size(); ++i) {
    if (auto created = after(lines[i], "nexcage created ")) mark.created = *created;
    if (auto bundle = after(lines[i], "nexcage bundle ")) mark.bundle = *bundle;
  }
  return mark;
}

bool carries_mark(std::string_view description, std::string_view mark) {
  if (description.substr(0, mark.size()) != mark) return false;
  return description.size() == mark.size() || description[mark.size()] == '\n';
}

}  // namespace nexcage::backend::pct
