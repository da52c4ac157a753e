#include "docgen/model.hpp"

#include "cli/definition.hpp"
#include "cli/examples.hpp"

namespace nexcage::docgen {

namespace {

// CLI11 appends validator descriptions: "TEXT:{text,json}". The choice set is the "{...}" part.
std::vector<std::string> parse_choices(const std::string& type_name) {
  auto open = type_name.find('{');
  auto close = type_name.rfind('}');
  std::vector<std::string> out;
  if (open == std::string::npos || close == std::string::npos || close < open) return out;
  std::string list = type_name.substr(open + 1, close - open - 1);
  std::size_t start = 0;
  while (start <= list.size()) {
    auto comma = list.find(',', start);
    if (comma == std::string::npos) comma = list.size();
    if (comma > start) out.push_back(list.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

ValueKind kind_of(const std::string& type_name, const std::vector<std::string>& choices) {
  if (!choices.empty()) return ValueKind::choice;
  if (type_name == "FILE" || type_name == "SOCKET") return ValueKind::file;
  if (type_name == "DIR") return ValueKind::directory;
  if (type_name == "ID") return ValueKind::container_id;
  if (type_name == "SIGNAL") return ValueKind::signal;
  return ValueKind::none;
}

// Shown in help as "TEXT:{a,b}"; the choice alone reads better in a man page.
std::string value_name_of(const std::string& type_name) {
  auto colon = type_name.find(":{");
  return colon == std::string::npos ? type_name : type_name.substr(colon + 1);
}

Option option_of(const CLI::Option& o) {
  Option out;
  out.longs = o.get_lnames();
  out.shorts = o.get_snames();
  out.takes_value = o.get_expected_min() > 0;
  out.repeatable = out.takes_value && o.get_expected_max() > 1;
  if (out.takes_value) {
    std::string type = o.get_type_name();
    out.choices = parse_choices(type);
    out.kind = kind_of(type, out.choices);
    out.value_name = value_name_of(type);
  }
  out.help = o.get_description();
  return out;
}

Positional positional_of(const CLI::Option& o) {
  Positional out;
  out.name = o.get_name(true);
  std::string type = o.get_type_name();
  auto choices = parse_choices(type);
  out.kind = kind_of(type, choices);
  out.value_name = value_name_of(type);
  out.required = o.get_required();
  out.many = o.get_expected_max() > 1;
  out.help = o.get_description();
  return out;
}

void read_options(const CLI::App& app, std::vector<Option>& options,
                  std::vector<Positional>* positionals) {
  for (const CLI::Option* o : app.get_options()) {
    if (o->get_group().empty()) continue;  // an empty group is CLI11's "hidden"
    if (!o->get_positional())
      options.push_back(option_of(*o));
    else if (positionals != nullptr)
      positionals->push_back(positional_of(*o));
  }
}

}  // namespace

Cli describe(const CLI::App& app) {
  Cli cli;
  cli.name = app.get_name();
  cli.summary = app.get_description();
  cli.footer = cli::footer_prose(app.get_footer());
  for (const auto& e : cli::examples_of("")) cli.examples.push_back({e.command, e.what});
  read_options(app, cli.options, nullptr);
  for (const CLI::App* sub : app.get_subcommands({})) {
    if (sub->get_group().empty()) continue;  // hidden
    Command c;
    c.name = sub->get_name();
    c.summary = sub->get_description();
    c.footer = cli::footer_prose(sub->get_footer());
    for (const auto& e : cli::examples_of(c.name)) c.examples.push_back({e.command, e.what});
    read_options(*sub, c.options, &c.positionals);
    cli.commands.push_back(std::move(c));
  }
  return cli;
}

Cli describe_nexcage() {
  CLI::App app;
  cli::GlobalFlags g;
  cli::Action action;
  cli::define_cli(app, g, action);
  return describe(app);
}

std::size_t rest_index(const Command& c) {
  for (std::size_t i = 0; i < c.positionals.size(); ++i)
    if (c.positionals[i].many) return i;
  return std::string::npos;
}

std::vector<std::string> spellings(const Option& o) {
  std::vector<std::string> out;
  for (const auto& l : o.longs) out.push_back("--" + l);
  for (const auto& s : o.shorts) out.push_back("-" + s);
  return out;
}

std::vector<std::string> accepted_spellings(const Option& o) {
  auto out = spellings(o);
  for (const auto& l : o.longs)
    if (l.size() > 1) out.push_back("-" + l);
  return out;
}

bool locates_state(const Option& o) {
  for (const auto& l : o.longs)
    if (l == "root" || l == "config") return true;
  return false;
}

}  // namespace nexcage::docgen
