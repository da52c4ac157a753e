#include "cli/definition.hpp"

#include <gtest/gtest.h>

using Args = std::vector<std::string>;

namespace {

// Names of the commands define_cli_for registers for `args`.
std::vector<std::string> registered(const Args& args) {
  CLI::App app;
  nexcage::cli::GlobalFlags g;
  nexcage::cli::Action action;
  nexcage::cli::define_cli_for(app, g, action, args);
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands({})) names.push_back(sub->get_name());
  return names;
}

std::size_t all_commands() {
  CLI::App app;
  nexcage::cli::GlobalFlags g;
  nexcage::cli::Action action;
  nexcage::cli::define_cli(app, g, action);
  return app.get_subcommands({}).size();
}

}  // namespace

TEST(DefineCliFor, OnlyTheNamedCommandAfterGlobalFlags) {
  EXPECT_EQ(registered({"nexcage", "state", "x"}), Args{"state"});
  EXPECT_EQ(registered({"nexcage", "--root", "/r", "--debug", "kill", "x", "KILL"}), Args{"kill"});
  EXPECT_EQ(registered({"nexcage", "--root=/r", "--log-format", "json", "delete", "-f", "x"}),
            Args{"delete"});
  // Go-style single-dash long flags, as runc accepts them.
  EXPECT_EQ(registered({"nexcage", "-root", "/r", "-log", "/l", "start", "x"}), Args{"start"});
  EXPECT_EQ(registered({"nexcage", "exec", "x", "/bin/true"}), Args{"exec"});
}

TEST(DefineCliFor, EverythingWhenInDoubt) {
  const std::size_t all = all_commands();
  EXPECT_EQ(all, 21u);
  EXPECT_EQ(registered({"nexcage"}).size(), all);
  EXPECT_EQ(registered({"nexcage", "--help"}).size(), all);
  EXPECT_EQ(registered({"nexcage", "-h", "state"}).size(), all);
  EXPECT_EQ(registered({"nexcage", "--bogus", "state", "x"}).size(), all);
  EXPECT_EQ(registered({"nexcage", "stat", "x"}).size(), all);  // unknown command
  // "state" is --root's value here, so the command is "x": unknown.
  EXPECT_EQ(registered({"nexcage", "--root", "state", "x"}).size(), all);
  // Another command's name later on: CLI11 decides what that means with the full definition.
  EXPECT_EQ(registered({"nexcage", "exec", "x", "ps"}).size(), all);
  EXPECT_EQ(registered({"nexcage", "--", "state"}).size(), all);
}
