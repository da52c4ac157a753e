#include "normalize.hpp"

#include <algorithm>

namespace nexcage::cli {

const CLI::Option* find_flag(const CLI::App& scope, const std::string& spelled) {
  bool long_form = spelled.rfind("--", 0) == 0;
  std::string bare = spelled.substr(long_form ? 2 : 1);
  for (const CLI::Option* opt : scope.get_options()) {
    if (opt->get_positional()) continue;
    const auto& names = long_form || bare.size() > 1 ? opt->get_lnames() : opt->get_snames();
    if (std::find(names.begin(), names.end(), bare) != names.end()) return opt;
  }
  return nullptr;
}

const CLI::App* find_subcommand(const CLI::App& scope, const std::string& name) {
  for (const CLI::App* sub : scope.get_subcommands({})) {
    if (sub->check_name(name)) return sub;
  }
  return nullptr;
}

std::string flag_name(const std::string& token) {
  return token.substr(0, token.find('='));
}

bool takes_next_word(const CLI::Option* opt, const std::string& token) {
  return opt != nullptr && opt->get_expected_min() > 0 &&
         token.find('=') == std::string::npos;  // flags expect 0
}

std::vector<std::string> help_command_as_flag(const CLI::App& app, std::vector<std::string> args) {
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& token = args[i];
    if (token.size() > 1 && token[0] == '-') {
      std::string name = flag_name(token);
      if (takes_next_word(find_flag(app, name), token)) ++i;
      continue;
    }
    if (token != "help" && token != "h") return args;
    args.erase(args.begin() + static_cast<std::ptrdiff_t>(i));
    bool named = i < args.size() && find_subcommand(app, args[i]) != nullptr;
    args.insert(args.begin() + static_cast<std::ptrdiff_t>(named ? i + 1 : i), "--help");
    return args;
  }
  return args;
}

std::vector<std::string> normalize_argv(const CLI::App& app, const std::vector<std::string>& args,
                                        const std::vector<std::string>& trailing_commands) {
  std::vector<std::string> out;
  if (args.empty()) return out;
  out.push_back(args[0]);
  const CLI::App* scope = &app;
  bool in_command = false;
  bool trailing = false;
  for (std::size_t i = 1; i < args.size(); ++i) {
    std::string token = args[i];
    if (token == "--") {
      out.insert(out.end(), args.begin() + static_cast<std::ptrdiff_t>(i), args.end());
      break;
    }
    if (token.size() > 1 && token[0] == '-') {
      auto eq = token.find('=');
      std::string name = token.substr(0, eq);
      const CLI::Option* opt = find_flag(*scope, name);
      if (opt != nullptr && name.rfind("--", 0) != 0 && name.size() > 2)
        token = "-" + token;  // Go-style -root → --root
      out.push_back(token);
      if (takes_next_word(opt, token) && i + 1 < args.size()) out.push_back(args[++i]);
      continue;
    }
    if (!in_command) {
      if (const CLI::App* sub = find_subcommand(*scope, token)) {
        scope = sub;
        in_command = true;
        trailing = std::find(trailing_commands.begin(), trailing_commands.end(), sub->get_name()) !=
                   trailing_commands.end();
      }
      out.push_back(token);
      continue;
    }
    out.push_back(token);
    if (trailing && i + 1 < args.size()) {
      // token is the container id; the rest belongs to the container's command.
      out.push_back("--");
      out.insert(out.end(), args.begin() + static_cast<std::ptrdiff_t>(i) + 1, args.end());
      break;
    }
  }
  return out;
}

}  // namespace nexcage::cli
