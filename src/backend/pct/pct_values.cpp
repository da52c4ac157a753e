// Checks that mirror pct's schema (pve-container 6.1.10's $confdesc in src/PVE/LXC/Config.pm and
// pve-common's formats in src/PVE/JSONSchema.pm), so a value pct would reject is
// refused before pct runs, with a message that names the config.json field. Written by hand, not
// with std::regex: libstdc++'s regex recurses once per character, so a long hostile value (200 KB
// of env name) overflows the stack instead of being refused.
#include <arpa/inet.h>

#include <cstdio>
#include <string_view>

#include "mapping.hpp"
#include "nexcage/core/text.hpp"

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

namespace {

// Every character of `s` satisfies `ok`, and there is at least one.
template <typename Pred>
bool all_of_nonempty(std::string_view s, Pred ok) {
  if (s.empty()) return false;
  for (char c : s)
    if (!ok(c)) return false;
  return true;
}

// [a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?: pct's dns-name label.
bool is_dns_label(std::string_view l) {
  return !l.empty() && is_ascii_alnum(l.front()) && is_ascii_alnum(l.back()) &&
         all_of_nonempty(l, [](char c) { return is_ascii_alnum(c) || c == '-'; });
}

// Consumes one or more digits from the front of `s`; false when there are none.
bool take_digits(std::string_view& s) {
  std::size_t n = 0;
  while (n < s.size() && is_ascii_digit(s[n])) ++n;
  s.remove_prefix(n);
  return n > 0;
}

// (25[0-5]|(2[0-4]|1[0-9]|[1-9])?[0-9]): 0..255 without leading zeros.
bool is_ipv4_octet(std::string_view o) {
  if (o.empty() || o.size() > 3 || !all_of_nonempty(o, is_ascii_digit)) return false;
  if (o.size() > 1 && o.front() == '0') return false;
  int n = 0;
  for (char c : o) n = n * 10 + (c - '0');
  return n <= 255;
}

}  // namespace

bool is_dns_name(const std::string& name) {
  // pct accepts any dns-name up to 255 characters, with labels of any length; what limits a
  // container is sethostname(2) at start, which refuses more than HOST_NAME_MAX (64) bytes. So a
  // single 64-character label is fine, and 65 characters in all are not.
  if (name.empty() || name.size() > max_hostname) return false;
  std::string_view rest = name;
  for (;;) {
    auto dot = rest.find('.');
    auto label = rest.substr(0, dot);
    if (!is_dns_label(label)) return false;
    if (dot == std::string_view::npos) return true;
    rest.remove_prefix(dot + 1);
  }
}

bool is_storage_id(const std::string& id) {
  // [a-z][a-z0-9\-_.]*[a-z0-9], case-insensitive, at least 2 characters.
  if (id.size() < 2) return false;
  auto letter = [](char c) { return is_ascii_lower(c) || is_ascii_upper(c); };
  return letter(id.front()) && is_ascii_alnum(id.back()) && all_of_nonempty(id, [](char c) {
           return is_ascii_alnum(c) || c == '-' || c == '_' || c == '.';
         });
}

bool is_ipv4(const std::string& s) {
  std::string_view rest = s;
  for (int i = 0; i < 4; ++i) {
    auto dot = rest.find('.');
    if ((i < 3) == (dot == std::string_view::npos)) return false;
    if (!is_ipv4_octet(rest.substr(0, dot))) return false;
    if (i < 3) rest.remove_prefix(dot + 1);
  }
  return true;
}

bool is_ipv6(const std::string& s) {
  unsigned char buf[16];
  return s.find('%') == std::string::npos && s.find('\0') == std::string::npos &&
         inet_pton(AF_INET6, s.c_str(), buf) == 1;
}

namespace {
bool cidr(const std::string& s, bool (*address)(const std::string&), int max_prefix) {
  auto slash = s.rfind('/');
  if (slash == std::string::npos) return false;
  auto prefix = s.substr(slash + 1);
  // [0-9]{1,3}
  if (prefix.size() > 3 || !all_of_nonempty(prefix, is_ascii_digit)) return false;
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
  // [-_.\w\d]+ with ASCII \w
  return all_of_nonempty(
      s, [](char c) { return is_ascii_alnum(c) || c == '-' || c == '_' || c == '.'; });
}

bool is_env_name(const std::string& s) {
  return all_of_nonempty(s, [](char c) { return is_ascii_alnum(c) || c == '_'; });
}

bool is_hugepage_size(const std::string& size) {
  // [0-9]+[KMG]B
  std::string_view s = size;
  if (!take_digits(s) || s.size() != 2 || s[1] != 'B') return false;
  return s[0] == 'K' || s[0] == 'M' || s[0] == 'G';
}

bool is_cgroup_file_name(const std::string& name) {
  // [a-z0-9_]+\.[a-z0-9_.]+: a controller prefix, a dot, then the file's own name.
  auto ok = [](char c) { return is_ascii_lower(c) || is_ascii_digit(c) || c == '_'; };
  auto dot = name.find('.');
  if (dot == std::string::npos) return false;
  return all_of_nonempty(std::string_view(name).substr(0, dot), ok) &&
         all_of_nonempty(std::string_view(name).substr(dot + 1),
                         [&](char c) { return ok(c) || c == '.'; });
}

bool is_ipc_sysctl(const std::string& key) {
  // The IPC sysctls of the container's own IPC namespace: the only lxc.sysctl.* keys PVE keeps.
  for (const char* k :
       {"kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem", "kernel.shmall",
        "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced"})
    if (key == k) return true;
  return false;
}

bool is_rlimit_type(const std::string& type) {
  // RLIMIT_[A-Z]+
  constexpr std::string_view prefix = "RLIMIT_";
  return type.size() > prefix.size() && std::string_view(type).substr(0, prefix.size()) == prefix &&
         all_of_nonempty(std::string_view(type).substr(prefix.size()), is_ascii_upper);
}

bool has_control_char(const std::string& s, bool allow_tab) {
  for (unsigned char c : s) {
    if (c == '\t' && allow_tab) continue;
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

bool has_dot_segments(const std::string& path) {
  // pve-lxc-mp-string: "/./" or "/../" anywhere, "/." or "/.." at the end, "../" at the start.
  std::string_view p = path;
  if (p.substr(0, 3) == "../") return true;
  for (std::size_t slash = p.find('/'); slash != std::string_view::npos;
       slash = p.find('/', slash + 1)) {
    auto rest = p.substr(slash + 1);
    std::size_t dots = rest.substr(0, 1) == "." ? (rest.substr(0, 2) == ".." ? 2 : 1) : 0;
    // "/." and "/.." both count: a segment of one or two dots, ended by '/' or the end.
    for (std::size_t n = 1; n <= dots; ++n)
      if (rest.size() == n || rest[n] == '/') return true;
  }
  return false;
}

bool too_long(Builder& b, const std::string& path, const std::string& what, std::size_t size,
              std::size_t max) {
  if (size <= max) return false;
  b.refuse(path, what + " is " + std::to_string(size) + " bytes long; at most " +
                     std::to_string(max) + " are accepted");
  return true;
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
  // A message must stay one readable line, however long the hostile value is.
  constexpr std::size_t shown = 256;
  std::string out = "\"";
  for (unsigned char c : std::string_view(value).substr(0, shown)) {
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
  if (value.size() > shown) return out + "...\" (" + std::to_string(value.size()) + " bytes)";
  return out + "\"";
}

}  // namespace nexcage::backend::pct::detail
