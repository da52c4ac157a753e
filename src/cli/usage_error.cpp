#include "usage_error.hpp"

#include <algorithm>
#include <optional>
#include <sstream>

#include "normalize.hpp"

namespace nexcage::cli {

namespace {

// Optimal string alignment distance: Levenshtein plus adjacent transpositions ("fromat").
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

// -dt: short flags written together, each of them known.
bool is_short_cluster(const CLI::App& scope, const std::string& token) {
  if (token.size() < 3 || token[0] != '-' || token[1] == '-') return false;
  return std::all_of(token.begin() + 1, token.end(),
                     [&](char c) { return find_flag(scope, std::string("-") + c) != nullptr; });
}

struct Unknown {
  const CLI::App* scope;
  std::string token;
  bool is_command;
};

// The first flag (or command) in `args` that `app` does not define, scanning as normalize_argv
// does: the container command after the id of exec and ps is not nexcage's.
std::optional<Unknown> first_unknown(const CLI::App& app, const std::vector<std::string>& args) {
  const CLI::App* scope = &app;
  bool in_command = false;
  bool trailing = false;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& token = args[i];
    if (token == "--") break;
    if (token.size() > 1 && token[0] == '-') {
      std::string name = flag_name(token);
      const CLI::Option* opt = find_flag(*scope, name);
      if (opt == nullptr && is_short_cluster(*scope, name)) continue;
      if (opt == nullptr) return Unknown{scope, name, false};
      if (takes_next_word(opt, token)) ++i;
      continue;
    }
    if (!in_command) {
      const CLI::App* sub = find_subcommand(*scope, token);
      if (sub == nullptr) return Unknown{scope, token, true};
      scope = sub;
      in_command = true;
      trailing = sub->get_name() == "exec" || sub->get_name() == "ps";
      continue;
    }
    if (trailing) break;  // the id: what follows is the container's command
  }
  return std::nullopt;
}

std::vector<std::string> flag_spellings(const CLI::App& scope) {
  std::vector<std::string> out;
  for (const CLI::Option* opt : scope.get_options()) {
    if (opt->get_positional()) continue;
    for (const auto& l : opt->get_lnames()) out.push_back("--" + l);
    for (const auto& s : opt->get_snames()) out.push_back("-" + s);
  }
  return out;
}

std::vector<std::string> command_names(const CLI::App& app) {
  std::vector<std::string> out;
  for (const CLI::App* sub : app.get_subcommands({})) out.push_back(sub->get_name());
  return out;
}

// The command the parse reached, for "nexcage <command> --help".
std::string command_reached(const CLI::App& app, const std::vector<std::string>& args) {
  for (std::size_t i = 1; i < args.size(); ++i)
    if (const CLI::App* sub = find_subcommand(app, args[i])) return sub->get_name();
  return {};
}

std::string lowercase_first(std::string text) {
  if (!text.empty()) text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  return text;
}

// The text after `prefix` when `text` starts with it.
std::optional<std::string> after(const std::string& text, std::string_view prefix) {
  if (text.rfind(prefix, 0) != 0) return std::nullopt;
  return text.substr(prefix.size());
}

// CLI11's own words for the rest, reshaped where they are not "what: why". Prefix matches only:
// std::regex recurses per character and overflows the stack on a long argument.
std::string reworded(const CLI::ParseError& error) {
  std::string text = error.what();
  if (auto rest = after(text, "Could not convert: ")) {
    auto eq = rest->find(" = ");
    if (eq != std::string::npos)
      return rest->substr(0, eq) + ": \"" + rest->substr(eq + 3) + "\" is not a valid value";
  }
  auto extras = after(text, "The following arguments were not expected: ");
  if (!extras) extras = after(text, "The following argument was not expected: ");
  if (extras) {
    // CLI11 lists them last first.
    std::vector<std::string> words;
    std::istringstream in(*extras);
    for (std::string w; in >> w;) words.insert(words.begin(), w);
    std::string joined;
    for (const auto& w : words) joined += (joined.empty() ? "" : " ") + w;
    return joined + (words.size() > 1 ? ": unexpected arguments" : ": unexpected argument");
  }
  constexpr std::string_view required = " is required";
  if (text.size() > required.size() &&
      text.compare(text.size() - required.size(), required.size(), required) == 0 &&
      text.find(' ') == text.size() - required.size())
    return text.substr(0, text.size() - required.size()) + ": missing";
  return lowercase_first(text);
}

}  // namespace

std::string closest(const std::string& typed, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = std::string::npos;
  for (const auto& candidate : candidates) {
    auto distance = edit_distance(typed, candidate);
    if (distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  // Close enough to be a typo: at most two edits, and fewer than a third of the word.
  std::size_t bare = typed.size() - std::min(typed.find_first_not_of('-'), typed.size());
  if (best_distance == 0 || best_distance > 2 || best_distance * 3 > bare + 1) return {};
  return best;
}

std::string usage_error_text(const CLI::App& app, const std::vector<std::string>& args,
                             const CLI::ParseError& error) {
  std::string message;
  std::string command = command_reached(app, args);
  if (auto unknown = first_unknown(app, args)) {
    if (unknown->scope == &app) command.clear();  // a global flag: nexcage --help lists those
    if (unknown->is_command) {
      message =
          (unknown->token.empty() ? std::string("\"\"") : unknown->token) + ": unknown command";
      if (auto near = closest(unknown->token, command_names(app)); !near.empty())
        message += "; did you mean " + near + "?";
    } else {
      std::string where =
          unknown->scope == &app ? "nexcage" : "nexcage " + unknown->scope->get_name();
      message = unknown->token + ": unknown flag of '" + where + "'";
      if (auto near = closest(unknown->token, flag_spellings(*unknown->scope)); !near.empty())
        message += "; did you mean " + near + "?";
    }
  } else {
    message = reworded(error);
    // "--log-format: ..." names a global flag, described by nexcage --help.
    std::string named = message.substr(0, message.find(':'));
    if (named.rfind("-", 0) == 0 && find_flag(app, named) != nullptr) command.clear();
  }
  std::string help = command.empty() ? "nexcage --help" : "nexcage " + command + " --help";
  return "nexcage: " + message + "\nRun '" + help + "' for usage.\n";
}

}  // namespace nexcage::cli
