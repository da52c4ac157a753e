#include "docgen/man.hpp"

#include <cctype>

#include "docgen/markdown.hpp"
#include "docgen/roff.hpp"

#include "nexcage/core/text.hpp"

namespace nexcage::docgen {

namespace {

// Help texts are phrases ("create a container"); a DESCRIPTION reads as sentences. A first word
// that is a name (process.json, no_new_privs) keeps its spelling.
std::string sentence(std::string s) {
  if (s.empty()) return s;
  std::string first = s.substr(0, s.find(' '));
  bool is_name = first == "nexcage" || first.find_first_of("._ABCDEFGHIJKLMNOPQRSTUVWXYZ") !=
                                           std::string::npos;  // process.json, cgroupsPath
  if (!is_name) s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  if (s.back() != '.') s += '.';
  return s;
}

// The app's description starts with "nexcage: "; the NAME line has its own "nexcage \-".
std::string without_name(const std::string& summary, const std::string& name) {
  std::string prefix = name + ": ";
  return summary.rfind(prefix, 0) == 0 ? summary.substr(prefix.size()) : summary;
}

std::string header(const std::string& title, int section, const std::string& version) {
  // No date: the page is the same for every build of one version (reproducible builds).
  return ".TH \"" + roff_escape(upper_ascii(title)) + "\" \"" + std::to_string(section) +
         "\" \"\" \"nexcage " + roff_escape(version) + "\" \"nexcage manual\"\n" +
         // Option names and paths read better unhyphenated and not stretched to the margin.
         ".nh\n.ad l\n";
}

std::string name_section(const std::string& name, const std::string& summary) {
  // lexgrog (whatis, lintian) wants "name \- text" with the name spelled plainly.
  return ".SH NAME\n" + name + " \\- " + roff_escape(summary) + "\n";
}

std::string option_entry(const Option& o) {
  std::string tag;
  for (const auto& s : o.shorts) tag += (tag.empty() ? "" : ", ") + bold("-" + s);
  for (const auto& l : o.longs) tag += (tag.empty() ? "" : ", ") + bold("--" + l);
  if (o.takes_value) tag += " " + italic(o.value_name);
  std::string help = sentence(o.help);
  if (o.repeatable && help.find("repeatable") == std::string::npos)
    help += " May be given more than once.";
  return ".TP\n" + tag + "\n" + roff_escape(help) + "\n";
}

std::string options_section(const std::string& title, const std::vector<Option>& options) {
  std::string out = ".SH " + title + "\n";
  for (const auto& o : options) out += option_entry(o);
  return out;
}

std::string positional_synopsis(const Positional& p) {
  std::string s = italic(p.name);
  if (p.many) s += " .\\|.\\|.";
  return p.required ? s : "[" + s + "]";
}

}  // namespace

// .SH EXAMPLES: each command line in bold, what it does indented below it.
std::string examples_section(const std::vector<Example>& examples) {
  if (examples.empty()) return {};
  std::string t = ".SH EXAMPLES\n";
  for (const auto& e : examples)
    t += ".TP\n" + bold(e.command) + "\n" + roff_inline(sentence(e.what)) + "\n";
  return t;
}

ManPage main_page(const Cli& cli, const std::string& version, std::string_view configuration_md) {
  std::string t = header(cli.name, 8, version);
  t += name_section(cli.name, without_name(cli.summary, cli.name));
  t += ".SH SYNOPSIS\n.B " + cli.name + "\n[" + italic("global options") + "] " +
       italic("command") + " [" + italic("command options") + "] [" + italic("arguments") + "]\n";
  t += ".SH DESCRIPTION\n" + bold(cli.name) +
       " takes runc's command line, so containerd, podman and CRI\\-O can use it as their OCI "
       "runtime. Each container is created by one backend (runc, crun or Proxmox pct), chosen by "
       "the flags, the bundle's annotations and the rules of the configuration file, and every "
       "later command goes to the backend that created it.\n"
       ".PP\nGo\\-style single\\-dash long flags (" +
       bold("-root") + ", " + bold("-force") +
       ") are accepted like runc's; a repeated option keeps its last value.\n";
  if (!cli.footer.empty()) t += ".PP\n" + roff_inline(cli.footer) + "\n";
  t += options_section("GLOBAL OPTIONS", cli.options);
  t += ".SH COMMANDS\n";
  for (const auto& c : cli.commands)
    t += ".TP\n" + bold(c.name) + "\n" + roff_escape(sentence(c.summary)) + " See " +
         bold(cli.name + "-" + c.name) + "(8).\n";
  t += ".SH FILES\n.TP\n" + italic("/etc/nexcage/config.json") +
       "\nThe configuration: backends, routing rules, state directory. See " +
       bold("nexcage-config.json") + "(5).\n.TP\n" + italic("/run/nexcage") +
       "\nThe default state directory: one directory per container with its record and lock.\n";
  // Each variable sits between its flag and its config key (docs/configuration.md, "Where each
  // setting comes from"): a flag wins over it, it wins over the config file.
  const std::pair<const char*, const char*> environment[] = {
      {"NEXCAGE_CONFIG", "The configuration file to read when --config is not given."},
      {"NEXCAGE_ROOT",
       "The state directory when --root is not given; before the config file's root."},
      {"NEXCAGE_DEFAULT_BACKEND",
       "The backend used when no --backend, annotation or rule decides; before the config file's "
       "default_backend."},
      {"NEXCAGE_LOG", "The log file when --log is not given; before the config file's log.file."},
      {"NEXCAGE_LOG_FORMAT", "text or json, when --log-format is not given; before log.format."},
      {"NEXCAGE_LOG_LEVEL",
       "error, warning, info or debug, when neither --log-level nor --debug is given; before "
       "log.level. info writes one record per command to the log file."},
  };
  t += ".SH ENVIRONMENT\n";
  for (const auto& [name, text] : environment)
    t += ".TP\n" + bold(name) + "\n" + roff_escape(text) + "\n";
  t += "A flag wins over its variable, the variable over the config file; " +
       bold("nexcage config") + " shows each value and where it came from.\n";
  t += markdown_to_roff(markdown_section(configuration_md, "Where each setting comes from"));
  t += ".SH EXIT STATUS\n0 on success, 1 on any error. A foreground " + bold("run") + " or " +
       bold("exec") + " exits with the process's status (128+N when it was killed by signal N); " +
       bold("exec") + " exits 255 when the process could not be started.\n";
  t += examples_section(cli.examples);
  t += ".SH SEE ALSO\n" + bold("nexcage-config.json") + "(5), " + bold("nexcage-pct") + "(7), " +
       bold("runc") + "(8), " + bold("crun") + "(1), " + bold("pct") + "(1)\n";
  return {cli.name + ".8", t};
}

ManPage command_page(const Cli& cli, const Command& c, const std::string& version) {
  std::string page = cli.name + "-" + c.name;
  std::string t = header(page, 8, version);
  t += name_section(page, c.summary);
  t += ".SH SYNOPSIS\n.B " + cli.name + "\n[" + italic("global options") + "]\n.B " + c.name + "\n";
  std::string args;
  if (!c.options.empty()) args += "[" + italic("options") + "]";
  for (const auto& p : c.positionals) args += (args.empty() ? "" : " ") + positional_synopsis(p);
  if (!args.empty()) t += args + "\n";
  t += ".SH DESCRIPTION\n" + roff_escape(sentence(c.summary)) + "\n";
  if (!c.footer.empty()) t += ".PP\n" + roff_escape(c.footer) + "\n";
  t += ".PP\nThe global options are described in " + bold(cli.name) + "(8).\n";
  if (!c.options.empty()) t += options_section("OPTIONS", c.options);
  if (!c.positionals.empty()) {
    t += ".SH ARGUMENTS\n";
    for (const auto& p : c.positionals)
      t += ".TP\n" + italic(p.name) + "\n" + roff_escape(sentence(p.help)) + "\n";
  }
  t += examples_section(c.examples);
  t += ".SH SEE ALSO\n" + bold(cli.name) + "(8), " + bold("nexcage-config.json") + "(5)\n";
  return {page + ".8", t};
}

ManPage config_page(std::string_view configuration_md, const std::string& version) {
  std::string t = header("nexcage-config.json", 5, version);
  t += name_section("nexcage-config.json", "configuration file of nexcage");
  t += ".SH SYNOPSIS\n" + italic("/etc/nexcage/config.json") + "\n";
  t += ".SH DESCRIPTION\n";
  t += markdown_to_roff(configuration_md);
  t += ".SH SEE ALSO\n" + bold("nexcage") + "(8)\n";
  return {"nexcage-config.json.5", t};
}

ManPage pct_page(std::string_view pct_md, const std::string& version) {
  std::string t = header("nexcage-pct", 7, version);
  t += name_section("nexcage-pct",
                    "Proxmox VE containers from OCI bundles: the pct backend of nexcage");
  t += ".SH DESCRIPTION\n";
  t += markdown_to_roff(pct_md);
  t += ".SH SEE ALSO\n" + bold("nexcage") + "(8), " + bold("nexcage-config.json") + "(5), " +
       bold("pct") + "(1)\n";
  return {"nexcage-pct.7", t};
}

}  // namespace nexcage::docgen
