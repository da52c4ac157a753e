#include "cli/normalize.hpp"

#include <gtest/gtest.h>

using nexcage::cli::normalize_argv;
using Args = std::vector<std::string>;

namespace {
struct Fixture {
  CLI::App app{"t"};
  std::string root, id, process, bundle, format;
  bool force = false, detach = false;
  std::vector<std::string> rest;
  Fixture() {
    app.add_option("--root", root);
    app.add_flag("--debug");
    auto* del = app.add_subcommand("delete");
    del->add_flag("-f,--force", force);
    del->add_option("id", id);
    auto* exec = app.add_subcommand("exec");
    exec->add_option("-p,--process", process);
    exec->add_flag("-d,--detach", detach);
    exec->add_option("id", id);
    exec->add_option("cmd", rest);
    auto* create = app.add_subcommand("create");
    create->add_option("-b,--bundle", bundle);
    create->add_option("id", id);
    auto* list = app.add_subcommand("list");
    list->add_option("-f,--format", format);
  }
  Args norm(Args in) { return normalize_argv(app, in, {"exec"}); }
};
}  // namespace

TEST(Normalize, GoStyleSingleDashLongFlags) {
  Fixture f;
  EXPECT_EQ(f.norm({"nx", "-root", "/r", "delete", "-force", "c1"}),
            (Args{"nx", "--root", "/r", "delete", "--force", "c1"}));
  EXPECT_EQ(f.norm({"nx", "list", "-format=json"}), (Args{"nx", "list", "--format=json"}));
}

TEST(Normalize, KeepsShortAndDoubleDashSpellings) {
  Fixture f;
  EXPECT_EQ(f.norm({"nx", "--root=/r", "delete", "-f", "c1"}),
            (Args{"nx", "--root=/r", "delete", "-f", "c1"}));
  EXPECT_EQ(f.norm({"nx", "create", "-b", "/b", "c1"}), (Args{"nx", "create", "-b", "/b", "c1"}));
}

TEST(Normalize, OptionValuesAreNeverRewritten) {
  Fixture f;
  // "-force" here is the value of --bundle, not a flag.
  EXPECT_EQ(f.norm({"nx", "create", "--bundle", "-force", "c1"}),
            (Args{"nx", "create", "--bundle", "-force", "c1"}));
}

TEST(Normalize, ContainerCommandFlagsAreProtected) {
  Fixture f;
  EXPECT_EQ(f.norm({"nx", "exec", "-d", "c1", "ls", "-la", "--root"}),
            (Args{"nx", "exec", "-d", "c1", "--", "ls", "-la", "--root"}));
  EXPECT_EQ(f.norm({"nx", "exec", "-p", "/p.json", "c1"}),
            (Args{"nx", "exec", "-p", "/p.json", "c1"}));
}

TEST(Normalize, ParsesWithCli11Afterwards) {
  Fixture f;
  auto args = f.norm({"nx", "-root", "/r", "exec", "-detach", "c1", "sh", "-c", "echo -d"});
  std::vector<const char*> argv;
  for (auto& a : args) argv.push_back(a.c_str());
  f.app.parse(static_cast<int>(argv.size()), argv.data());
  EXPECT_EQ(f.root, "/r");
  EXPECT_TRUE(f.detach);
  EXPECT_EQ(f.id, "c1");
  EXPECT_EQ(f.rest, (Args{"sh", "-c", "echo -d"}));
}

// runc's `help [COMMAND]` and `h`, after the global flags; a container command's "help" is its own.
TEST(Normalize, HelpCommandBecomesTheHelpFlag) {
  Fixture f;
  using nexcage::cli::help_command_as_flag;
  EXPECT_EQ(help_command_as_flag(f.app, {"nexcage", "help"}), (Args{"nexcage", "--help"}));
  EXPECT_EQ(help_command_as_flag(f.app, {"nexcage", "help", "delete"}),
            (Args{"nexcage", "delete", "--help"}));
  EXPECT_EQ(help_command_as_flag(f.app, {"nexcage", "--root", "/r", "h", "list"}),
            (Args{"nexcage", "--root", "/r", "list", "--help"}));
  EXPECT_EQ(help_command_as_flag(f.app, {"nexcage", "--root", "help", "list"}),
            (Args{"nexcage", "--root", "help", "list"}))
      << "a flag's value named help";
  EXPECT_EQ(help_command_as_flag(f.app, {"nexcage", "exec", "c1", "help"}),
            (Args{"nexcage", "exec", "c1", "help"}));
}
