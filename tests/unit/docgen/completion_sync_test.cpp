// The checked-in completions (completions/) against the CLI definition: a command or flag added
// to src/cli/ without regenerating them fails here, naming what is missing.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "docgen/completion.hpp"
#include "docgen/model.hpp"

using namespace nexcage::docgen;

namespace {

std::string read_source(const std::string& relative) {
  std::ifstream in(std::string(NEXCAGE_SOURCE_DIR) + "/" + relative);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The text from `start` up to `end` (both searched as substrings), or "" if start is absent.
std::string section(const std::string& text, const std::string& start, const std::string& end) {
  auto b = text.find(start);
  if (b == std::string::npos) return {};
  auto e = text.find(end, b + start.size());
  return text.substr(b, e == std::string::npos ? std::string::npos : e - b);
}

// The words of the first `compgen -W '...'` in `text`.
std::string offered_words(const std::string& text) {
  auto list = section(text, "compgen -W '", "' --");
  return " " + list.substr(std::min(list.size(), std::string("compgen -W '").size())) + " ";
}

bool has_word(const std::string& words, const std::string& w) {
  return words.find(" " + w + " ") != std::string::npos;
}

bool takes_id(const Command& c) {
  for (const auto& p : c.positionals)
    if (p.kind == ValueKind::container_id) return true;
  return false;
}

// Checks the three scripts for one CLI; shared by the checked-in files and a synthetic CLI.
void expect_complete(const Cli& cli, const std::string& bash, const std::string& zsh,
                     const std::string& fish) {
  std::string bash_global = section(bash, "\n    \"\")\n", "\n        ;;\n");
  std::string bash_commands = bash_global.substr(bash_global.find("else"));
  std::string zsh_commands = section(zsh, "local -a commands=(", ")\n");
  for (const auto& o : cli.options) {
    for (const auto& s : spellings(o)) {
      EXPECT_TRUE(has_word(offered_words(section(bash_global, "if [[ $cur == -* ]]", "else")), s))
          << "bash: global " << s;
      EXPECT_NE(section(zsh, "_arguments", "': :->command'").find(")" + s), std::string::npos)
          << "zsh: global " << s;
    }
    for (const auto& l : o.longs)
      EXPECT_NE(fish.find("-n '__nexcage_at -'" +
                          std::string(o.shorts.empty() ? "" : " -s " + o.shorts[0]) + " -l " + l),
                std::string::npos)
          << "fish: global --" << l;
  }
  for (const auto& c : cli.commands) {
    EXPECT_TRUE(has_word(offered_words(bash_commands), c.name)) << "bash: command " << c.name;
    EXPECT_NE(zsh_commands.find("'" + c.name + ":"), std::string::npos)
        << "zsh: command " << c.name;
    EXPECT_NE(fish.find("-n '__nexcage_at -' -a " + c.name + " "), std::string::npos)
        << "fish: command " << c.name;

    std::string bash_arm = section(bash, "\n    " + c.name + ")\n", "\n        ;;\n");
    std::string zsh_arm = section(zsh, "(" + c.name + ")\n", "\n          ;;");
    ASSERT_FALSE(bash_arm.empty()) << "bash: no case for " << c.name;
    ASSERT_FALSE(zsh_arm.empty()) << "zsh: no case for " << c.name;
    std::string bash_flags = offered_words(section(bash_arm, "if [[ $cur == -* ]]", "return"));
    for (const auto& o : c.options) {
      for (const auto& s : spellings(o)) {
        EXPECT_TRUE(has_word(bash_flags, s)) << "bash: " << c.name << " " << s;
        std::string zsh_spec = s + (o.takes_value ? (s.rfind("--", 0) == 0 ? "=[" : "+[") : "[");
        EXPECT_NE(zsh_arm.find(zsh_spec), std::string::npos) << "zsh: " << c.name << " " << s;
        if (o.takes_value && o.kind == ValueKind::choice)
          for (const auto& choice : o.choices)
            EXPECT_NE(bash_arm.find(choice), std::string::npos) << "bash: " << s << " " << choice;
      }
      std::string fish_line = "complete -c " + cli.name + " -n '__nexcage_options " + c.name + "'";
      for (const auto& sh : o.shorts) fish_line += " -s " + sh;
      for (const auto& l : o.longs) fish_line += " -l " + l;
      EXPECT_NE(fish.find(fish_line + (o.takes_value ? " -" : " -d")), std::string::npos)
          << "fish: " << c.name << " " << spellings(o)[0];
    }
    if (takes_id(c)) {
      EXPECT_NE(bash_arm.find("$(_nexcage_ids)"), std::string::npos) << "bash: ids for " << c.name;
      EXPECT_NE(zsh_arm.find(":_nexcage_ids'"), std::string::npos) << "zsh: ids for " << c.name;
      EXPECT_NE(fish.find("-n '__nexcage_at " + c.name + " 0' -x -a '(__nexcage_ids)'"),
                std::string::npos)
          << "fish: ids for " << c.name;
    }
  }
}

}  // namespace

TEST(CompletionSync, CheckedInScriptsCoverEveryCommandAndFlag) {
  Cli cli = describe_nexcage();
  std::string bash = read_source("completions/bash/nexcage");
  std::string zsh = read_source("completions/zsh/_nexcage");
  std::string fish = read_source("completions/fish/nexcage.fish");
  ASSERT_FALSE(bash.empty());
  ASSERT_FALSE(zsh.empty());
  ASSERT_FALSE(fish.empty());
  expect_complete(cli, bash, zsh, fish);
}

TEST(CompletionSync, CheckedInScriptsAreTheGeneratedOnes) {
  Cli cli = describe_nexcage();
  const char* hint = "; regenerate: cmake --build build --target update-completions";
  EXPECT_EQ(read_source("completions/bash/nexcage"), bash_completion(cli)) << "bash" << hint;
  EXPECT_EQ(read_source("completions/zsh/_nexcage"), zsh_completion(cli)) << "zsh" << hint;
  EXPECT_EQ(read_source("completions/fish/nexcage.fish"), fish_completion(cli)) << "fish" << hint;
}

// The generator itself: a flag, a command and a choice added to a CLI show up in all three.
TEST(CompletionSync, GeneratorCoversAnAddedFlag) {
  CLI::App app("t", "nexcage");
  std::string root, id, mode;
  bool brand_new = false;
  app.add_option("--root", root, "state")->type_name("DIR");
  auto* sub = app.add_subcommand("frobnicate", "frob it");
  sub->add_flag("-z,--brand-new", brand_new, "a new flag, with 'quotes' and [brackets]: ok");
  sub->add_option("--mode", mode, "mode")->type_name("{fast,slow}");
  sub->add_option("container-id", id, "id")->type_name("ID")->required();
  Cli cli = describe(app);
  std::string bash = bash_completion(cli), zsh = zsh_completion(cli), fish = fish_completion(cli);
  expect_complete(cli, bash, zsh, fish);
  EXPECT_NE(zsh.find("'(--brand-new -z)--brand-new[a new flag, with '\\''quotes'\\'' and "
                     "\\[brackets\\]: ok]'"),
            std::string::npos)
      << zsh;
  EXPECT_NE(fish.find("-l mode -x -a 'fast slow'"), std::string::npos) << fish;
}
