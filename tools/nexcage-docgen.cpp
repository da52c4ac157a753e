// Build-time generator: man pages and shell completions from the CLI definition the nexcage
// binary parses with (docgen/model.hpp). Not installed. See CONTRIBUTING.md.
//
//   nexcage-docgen man OUTDIR VERSION CONFIGURATION_MD PCT_MD   write every page into OUTDIR
//   nexcage-docgen completion bash|zsh|fish              print the script
//   nexcage-docgen completion SHELL --write FILE         replace FILE with it
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "docgen/completion.hpp"
#include "docgen/man.hpp"
#include "docgen/model.hpp"

namespace {

using nexcage::docgen::ManPage;

constexpr const char* usage =
    "usage: nexcage-docgen man OUTDIR VERSION CONFIGURATION_MD PCT_MD\n"
    "       nexcage-docgen completion bash|zsh|fish [--write FILE]\n";

bool read_file(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream s;
  s << in.rdbuf();
  out = s.str();
  return true;
}

bool write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) std::cerr << "nexcage-docgen: cannot write " << path.string() << "\n";
  return static_cast<bool>(out);
}

int man(const std::vector<std::string>& args) {
  if (args.size() != 5) {
    std::cerr << usage;
    return 2;
  }
  const std::filesystem::path dir = args[1];
  const std::string& version = args[2];
  std::string configuration;
  if (!read_file(args[3], configuration)) {
    std::cerr << "nexcage-docgen: cannot read " << args[3] << "\n";
    return 1;
  }
  std::string pct;
  if (!read_file(args[4], pct)) {
    std::cerr << "nexcage-docgen: cannot read " << args[4] << "\n";
    return 1;
  }
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  auto cli = nexcage::docgen::describe_nexcage();
  std::vector<ManPage> pages{nexcage::docgen::main_page(cli, version, configuration),
                             nexcage::docgen::config_page(configuration, version),
                             nexcage::docgen::pct_page(pct, version)};
  for (const auto& c : cli.commands)
    pages.push_back(nexcage::docgen::command_page(cli, c, version));
  for (const auto& p : pages)
    if (!write_file(dir / p.file_name, p.text)) return 1;
  return 0;
}

int completion(const std::vector<std::string>& args) {
  if (args.size() != 2 && args.size() != 4) {
    std::cerr << usage;
    return 2;
  }
  auto cli = nexcage::docgen::describe_nexcage();
  std::string script;
  if (args[1] == "bash")
    script = nexcage::docgen::bash_completion(cli);
  else if (args[1] == "zsh")
    script = nexcage::docgen::zsh_completion(cli);
  else if (args[1] == "fish")
    script = nexcage::docgen::fish_completion(cli);
  else {
    std::cerr << "nexcage-docgen: unknown shell \"" << args[1] << "\"\n" << usage;
    return 2;
  }
  if (args.size() == 2) {
    std::cout << script;
    return 0;
  }
  if (args[2] == "--write") return write_file(args[3], script) ? 0 : 1;
  std::cerr << usage;
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && args[0] == "man") return man(args);
  if (!args.empty() && args[0] == "completion") return completion(args);
  std::cerr << usage;
  return 2;
}
