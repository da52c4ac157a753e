// LXC >= 6.0 splits lxc.init.cmd with lxc_string_split_quoted (lxc/lxc src/lxc/string_utils.c):
// words are separated by whitespace, a word that starts with ' or " runs to the next identical
// quote, and there are no escapes. PVE's own '\'' quoting is therefore wrong for LXC, so each
// argument gets the one form LXC reads back unchanged, or is refused.
#include <cctype>

#include "mapping.hpp"

namespace nexcage::backend::pct {

bool quote_entrypoint_arg(const std::string& arg, std::string& out) {
  if (detail::has_control_char(arg, /*allow_tab=*/true)) return false;
  bool space = false;
  for (unsigned char c : arg) space = space || std::isspace(c) != 0;
  bool leading_quote = !arg.empty() && (arg[0] == '\'' || arg[0] == '"');
  if (!arg.empty() && !space && !leading_quote) {
    out = arg;
    return true;
  }
  if (arg.find('\'') == std::string::npos) {
    out = "'" + arg + "'";
    return true;
  }
  if (arg.find('"') == std::string::npos) {
    out = "\"" + arg + "\"";
    return true;
  }
  return false;
}

}  // namespace nexcage::backend::pct
