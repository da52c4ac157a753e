#include "nexcage/core/text.hpp"

#include <cctype>
#include <charconv>

#include <fmt/format.h>

namespace nexcage {

bool is_cpu_list(std::string_view s) {
  auto take_digits = [&s] {
    std::size_t n = 0;
    while (n < s.size() && s[n] >= '0' && s[n] <= '9') ++n;
    s.remove_prefix(n);
    return n > 0;
  };
  for (;;) {
    if (!take_digits()) return false;
    if (!s.empty() && s.front() == '-') {
      s.remove_prefix(1);
      if (!take_digits()) return false;
    }
    if (s.empty()) return true;
    if (s.front() != ',') return false;
    s.remove_prefix(1);
  }
}

std::string trim(std::string_view s) {
  constexpr std::string_view space = " \t\r\n";
  auto begin = s.find_first_not_of(space);
  if (begin == std::string_view::npos) return {};
  auto end = s.find_last_not_of(space);
  return std::string(s.substr(begin, end - begin + 1));
}

std::optional<std::uint32_t> parse_u32(std::string_view s) {
  // from_chars alone would accept a leading '-' for signed types only, but it stops at the
  // first non-digit: the end pointer check refuses "12abc".
  if (s.empty() || s.front() < '0' || s.front() > '9') return std::nullopt;
  std::uint32_t value = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return value;
}

std::optional<std::int64_t> parse_byte_size(std::string_view s) {
  std::size_t i = 0;
  auto digits = [&] {
    std::size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    return i > start;
  };
  if (!digits()) return std::nullopt;
  std::size_t number_end = i;
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (!digits()) return std::nullopt;
    number_end = i;
  }
  if (i < s.size() && s[i] == ' ') ++i;
  double unit = 1;
  if (i < s.size()) {
    static constexpr std::string_view units = "kmgtp";
    auto at = units.find(static_cast<char>(std::tolower(static_cast<unsigned char>(s[i]))));
    if (at != std::string_view::npos) {
      for (std::size_t n = 0; n <= at; ++n) unit *= 1024;
      ++i;
    }
  }
  if (i < s.size() && (s[i] == 'i' || s[i] == 'I')) ++i;
  if (i < s.size() && (s[i] == 'b' || s[i] == 'B')) ++i;
  if (i != s.size()) return std::nullopt;
  double value = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + number_end, value);
  if (ec != std::errc() || ptr != s.data() + number_end) return std::nullopt;
  value *= unit;
  if (!(value < 9223372036854775808.0)) return std::nullopt;
  return static_cast<std::int64_t>(value);
}

namespace {

// Length of the well-formed UTF-8 sequence at s[i] (2 to 4), or 0.
std::size_t utf8_length(std::string_view s, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  std::size_t n = c >= 0xF0 && c <= 0xF4  ? 4
                  : c >= 0xE0 && c < 0xF0 ? 3
                  : c >= 0xC2 && c < 0xE0 ? 2
                                          : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k)
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  if (n == 3 && ((c == 0xE0 && byte(i + 1) < 0xA0) || (c == 0xED && byte(i + 1) >= 0xA0))) return 0;
  if (n == 4 && ((c == 0xF0 && byte(i + 1) < 0x90) || (c == 0xF4 && byte(i + 1) >= 0x90))) return 0;
  return n;
}

}  // namespace

std::string excerpt(std::string_view s, std::size_t max) {
  if (s.size() <= max) return std::string(s);
  return fmt::format("{}... ({} bytes)", s.substr(0, max), s.size());
}

std::string printable(std::string_view s, bool keep_newlines) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7F) {
      out += static_cast<char>(c);
      ++i;
    } else if (c == '\n' && keep_newlines) {
      out += '\n';
      ++i;
    } else if (c < 0x80) {
      out += c == '\n'   ? "\\n"
             : c == '\t' ? "\\t"
             : c == '\r' ? "\\r"
                         : fmt::format("\\x{:02x}", c);
      ++i;
    } else if (auto n = utf8_length(s, i);
               n > 0 && !(c == 0xC2 && static_cast<unsigned char>(s[i + 1]) < 0xA0)) {
      out.append(s.substr(i, n));
      i += n;
    } else {
      out += fmt::format("\\x{:02x}", c);  // C1 control (0xC2 0x80..0x9F) or not UTF-8
      ++i;
    }
  }
  return out;
}

std::string unescape_octal(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 3 < text.size()) {
      const char* d = text.data() + i + 1;
      if (d[0] >= '0' && d[0] <= '3' && d[1] >= '0' && d[1] <= '7' && d[2] >= '0' && d[2] <= '7') {
        out.push_back(static_cast<char>((d[0] - '0') * 64 + (d[1] - '0') * 8 + (d[2] - '0')));
        i += 3;
        continue;
      }
    }
    out.push_back(text[i]);
  }
  return out;
}

std::string upper_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

std::string join(const std::vector<std::string>& words, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += separator;
    out += words[i];
  }
  return out;
}

std::string last_line(std::string_view s) {
  auto text = trim(s);
  auto nl = text.rfind('\n');
  return nl == std::string::npos ? text : trim(std::string_view(text).substr(nl + 1));
}

}  // namespace nexcage
