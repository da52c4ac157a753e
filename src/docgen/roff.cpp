#include "docgen/roff.hpp"

namespace nexcage::docgen {

namespace {

void escape_into(std::string& out, std::string_view text) {
  for (char c : text) {
    if (c == '\\')
      out += "\\e";
    else if (c == '-')
      out += "\\-";
    else
      out += c;
  }
}

// A line that starts with . or ' would be read as a request; \& in front makes it text.
std::string guard_line_start(std::string s) {
  for (std::size_t pos = 0; pos < s.size();) {
    if (s[pos] == '.' || s[pos] == '\'') s.insert(pos, "\\&");
    auto nl = s.find('\n', pos);
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  return s;
}

}  // namespace

std::string roff_escape(std::string_view text) {
  std::string out;
  escape_into(out, text);
  return guard_line_start(out);
}

std::string bold(std::string_view text) {
  std::string out = "\\fB";
  escape_into(out, text);
  return out + "\\fR";
}

// A long code span (a pct option string) may not fit a line at all: groff may break it after a
// comma (\: is a break point that prints nothing), rather than warn that it cannot.
std::string code_span(std::string_view text) {
  constexpr std::size_t long_span = 30;
  if (text.size() <= long_span) return bold(text);
  std::string out = "\\fB";
  for (char c : text) {
    escape_into(out, std::string_view(&c, 1));
    if (c == ',') out += "\\:";
  }
  return out + "\\fR";
}

std::string italic(std::string_view text) {
  std::string out = "\\fI";
  escape_into(out, text);
  return out + "\\fR";
}

std::string roff_inline(std::string_view md) {
  std::string out;
  for (std::size_t i = 0; i < md.size();) {
    // Markup opens only where it also closes; a lone * or ` is text.
    auto span = [&](std::string_view mark) -> std::string_view {
      if (md.substr(i, mark.size()) != mark) return {};
      auto end = md.find(mark, i + mark.size());
      if (end == std::string_view::npos || end == i + mark.size()) return {};
      return md.substr(i + mark.size(), end - i - mark.size());
    };
    if (auto code = span("`"); !code.empty()) {
      out += code_span(code);
      i += code.size() + 2;
    } else if (auto strong = span("**"); !strong.empty()) {
      out += bold(strong);
      i += strong.size() + 4;
    } else if (auto em = span("*"); !em.empty() && em.front() != ' ') {
      out += italic(em);
      i += em.size() + 2;
    } else {
      escape_into(out, md.substr(i, 1));
      ++i;
    }
  }
  return guard_line_start(out);
}

}  // namespace nexcage::docgen
