// Checks that mirror pct's schema (shared/reference/pct.md §4-§6), so a value pct would reject is
// refused before pct runs, with a message that names the config.json field.
#include <arpa/inet.h>

#include <cstdio>
#include <regex>

#include "mapping.hpp"

namespace nexcage::backend::pct::detail {

const nlohmann::json* raw_at(const nlohmann::json& doc, std::initializer_list<const char*> keys) {
  const nlohmann::json* cur = &doc;
  for (const char* key : keys) {
    if (!cur->is_object()) return nullptr;
    auto it = cur->find(key);
    if (it == cur->end() || it->is_null()) return nullptr;
    cur = &*it;
  }
  return cur;
}

std::optional<int64_t> json_int(const nlohmann::json& v, int64_t min, int64_t max) {
  if (v.is_number_unsigned()) {
    auto u = v.get<uint64_t>();
    if (u <= static_cast<uint64_t>(max) && static_cast<int64_t>(u) >= min)
      return static_cast<int64_t>(u);
  } else if (v.is_number_integer()) {
    auto i = v.get<int64_t>();
    if (i >= min && i <= max) return i;
  }
  return std::nullopt;
}

bool is_dns_name(const std::string& name) {
  // pct's dns-name regex allows any label length; the kernel's hostname is at most 64 bytes and
  // DNS labels at most 63, so longer names would be cut or refused later at start.
  static const std::regex pattern(
      "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?\\.)*"
      "[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?");
  if (name.empty() || name.size() > 64 || !std::regex_match(name, pattern)) return false;
  std::size_t start = 0;
  for (;;) {
    auto dot = name.find('.', start);
    auto len = (dot == std::string::npos ? name.size() : dot) - start;
    if (len > 63) return false;
    if (dot == std::string::npos) return true;
    start = dot + 1;
  }
}

bool is_storage_id(const std::string& id) {
  static const std::regex pattern("[a-z][a-z0-9\\-_.]*[a-z0-9]", std::regex::icase);
  return id.size() >= 2 && std::regex_match(id, pattern);
}

bool is_ipv4(const std::string& s) {
  static const std::regex pattern(
      "(?:(?:25[0-5]|(?:2[0-4]|1[0-9]|[1-9])?[0-9])\\.){3}(?:25[0-5]|(?:2[0-4]|1[0-9]|[1-9])?[0-9]"
      ")");
  return std::regex_match(s, pattern);
}

bool is_ipv6(const std::string& s) {
  unsigned char buf[16];
  return s.find('%') == std::string::npos && inet_pton(AF_INET6, s.c_str(), buf) == 1;
}

namespace {
bool cidr(const std::string& s, bool (*address)(const std::string&), int max_prefix) {
  auto slash = s.rfind('/');
  if (slash == std::string::npos) return false;
  auto prefix = s.substr(slash + 1);
  static const std::regex digits("[0-9]{1,3}");
  if (!std::regex_match(prefix, digits)) return false;
  int n = std::stoi(prefix);
  return n >= 8 && n <= max_prefix && address(s.substr(0, slash));
}
}  // namespace

bool is_cidr4(const std::string& s) {
  return cidr(s, is_ipv4, 32);
}
bool is_cidr6(const std::string& s) {
  return cidr(s, is_ipv6, 128);
}

bool is_net_name(const std::string& s) {
  static const std::regex pattern("[-_.A-Za-z0-9]+");
  return std::regex_match(s, pattern);
}

bool has_control_char(const std::string& s, bool allow_tab) {
  for (unsigned char c : s) {
    if (c == '\t' && allow_tab) continue;
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

bool has_dot_segments(const std::string& path) {
  static const std::regex pattern("(/\\.\\.?/)|(/\\.\\.?$)|(^\\.\\./)");
  return std::regex_search(path, pattern);
}

std::string sanitize_tag(const std::string& raw) {
  std::string tag;
  for (char c : raw) {
    char l = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    bool ok = (l >= 'a' && l <= 'z') || (l >= '0' && l <= '9') || l == '_' || l == '-' ||
              l == '+' || l == '.';
    tag += ok ? l : '_';
  }
  // pve-tag's first character is [a-z0-9_]; '-', '+', '.' may only follow.
  if (!tag.empty() && (tag[0] == '-' || tag[0] == '+' || tag[0] == '.')) return "_" + tag;
  return tag;
}

std::string fstab_escape(const std::string& path) {
  std::string out;
  for (char c : path) {
    if (c == ' ')
      out += "\\040";
    else if (c == '\t')
      out += "\\011";
    else if (c == '\\')
      out += "\\134";
    else
      out += c;
  }
  return out;
}

std::string quote_value(const std::string& value) {
  std::string out = "\"";
  for (unsigned char c : value) {
    if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

}  // namespace nexcage::backend::pct::detail
