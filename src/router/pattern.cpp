#include "nexcage/router/pattern.hpp"

#include <cctype>
#include <stdexcept>

#include <fmt/format.h>
#include <re2/re2.h>

namespace nexcage::router {

namespace {

// Bounds RE2's compiled program; a pattern of max_pattern_bytes stays far below it.
constexpr int64_t max_program_bytes = 1 << 20;

std::string literal(unsigned char c) {
  if (std::isalnum(c)) return std::string(1, static_cast<char>(c));
  return fmt::format("\\x{:02x}", c);
}

// A bracket expression starting at glob[open] ('['), as an RE2 class; npos when it has no
// closing ']' (fnmatch then takes the '[' literally).
std::size_t bracket(std::string_view glob, std::size_t open, std::string& out) {
  std::size_t i = open + 1;
  std::string cls = "[";
  if (i < glob.size() && (glob[i] == '!' || glob[i] == '^')) {
    cls += '^';
    ++i;
  }
  bool first = true;
  for (; i < glob.size(); ++i) {
    char c = glob[i];
    if (c == ']' && !first) {
      out += cls + "]";
      return i;
    }
    first = false;
    if (c == '[' && i + 1 < glob.size() && glob[i + 1] == ':') {
      auto end = glob.find(":]", i + 2);
      if (end == std::string_view::npos) return std::string_view::npos;
      auto name = glob.substr(i + 2, end - i - 2);
      for (char n : name)
        if (!std::islower(static_cast<unsigned char>(n)))
          throw std::invalid_argument("bad character class");
      cls += "[:" + std::string(name) + ":]";
      i = end + 1;
      continue;
    }
    if (c == '-' && cls.size() > 1 && cls.back() != '[' && cls.back() != '^' &&
        i + 1 < glob.size() && glob[i + 1] != ']') {
      cls += '-';
      continue;
    }
    if (c == '\\' && i + 1 < glob.size()) c = glob[++i];
    cls += literal(static_cast<unsigned char>(c));
  }
  return std::string_view::npos;
}

std::shared_ptr<const re2::RE2> compile(const std::string& anchored, bool bytes) {
  re2::RE2::Options options;
  options.set_log_errors(false);
  options.set_max_mem(max_program_bytes);
  if (bytes) options.set_encoding(re2::RE2::Options::EncodingLatin1);
  auto re = std::make_shared<const re2::RE2>(anchored, options);
  if (!re->ok()) throw std::invalid_argument(re->error());
  return re;
}

void check_size(std::string_view pattern) {
  if (pattern.empty()) throw std::invalid_argument("is empty");
  if (pattern.size() > max_pattern_bytes)
    throw std::invalid_argument(
        fmt::format("is {} bytes long, more than {}", pattern.size(), max_pattern_bytes));
}

}  // namespace

std::string glob_to_regex(std::string_view glob) {
  std::string out;
  for (std::size_t i = 0; i < glob.size(); ++i) {
    char c = glob[i];
    if (c == '*') {
      out += "(?s:.*)";
    } else if (c == '?') {
      out += "(?s:.)";
    } else if (c == '[') {
      auto end = bracket(glob, i, out);
      if (end == std::string_view::npos)
        out += literal('[');
      else
        i = end;
    } else {
      if (c == '\\' && i + 1 < glob.size()) c = glob[++i];
      out += literal(static_cast<unsigned char>(c));
    }
  }
  return out;
}

Pattern Pattern::glob(std::string_view glob) {
  check_size(glob);
  return Pattern(compile(glob_to_regex(glob), true));
}

Pattern Pattern::regex(std::string_view regex) {
  check_size(regex);
  return Pattern(compile("(?:" + std::string(regex) + ")", false));
}

bool Pattern::matches(std::string_view value) const {
  return re_ && re2::RE2::FullMatch(re2::StringPiece(value.data(), value.size()), *re_);
}

}  // namespace nexcage::router
