#include "docgen/model.hpp"

#include <gtest/gtest.h>

#include <algorithm>

using namespace nexcage::docgen;

namespace {

const Option* find_option(const std::vector<Option>& options, const std::string& long_name) {
  for (const auto& o : options)
    if (std::find(o.longs.begin(), o.longs.end(), long_name) != o.longs.end()) return &o;
  return nullptr;
}

const Command* find_command(const Cli& cli, const std::string& name) {
  for (const auto& c : cli.commands)
    if (c.name == name) return &c;
  return nullptr;
}

}  // namespace

TEST(DocgenModel, ReadsOptionsValuesAndPositionals) {
  CLI::App app("t: a tool", "t");
  std::string root, format, id, fmt;
  std::vector<std::string> env, rest;
  bool debug = false;
  app.add_option("--root", root, "state")->type_name("DIR");
  app.add_option("--log-format", format, "fmt")->check(CLI::IsMember({"text", "json"}));
  app.add_flag("-d,--debug", debug, "dbg");
  app.add_option("--secret", root, "hidden")->group("");
  auto* sub = app.add_subcommand("exec", "run");
  sub->add_option("-e,--env", env, "env")->type_name("KEY=VALUE");
  sub->add_option("-f,--format", fmt, "f")->type_name("{table,json}");
  sub->add_option("id", id, "the id")->type_name("ID")->required();
  sub->add_option("cmd", rest, "command");
  app.add_subcommand("hidden", "")->group("");

  Cli cli = describe(app);
  EXPECT_EQ(cli.name, "t");
  EXPECT_EQ(find_option(cli.options, "secret"), nullptr);
  const Option* root_opt = find_option(cli.options, "root");
  ASSERT_NE(root_opt, nullptr);
  EXPECT_TRUE(root_opt->takes_value);
  EXPECT_EQ(root_opt->kind, ValueKind::directory);
  const Option* log_format = find_option(cli.options, "log-format");
  ASSERT_NE(log_format, nullptr);
  EXPECT_EQ(log_format->kind, ValueKind::choice);
  EXPECT_EQ(log_format->choices, (std::vector<std::string>{"text", "json"}));
  const Option* dbg = find_option(cli.options, "debug");
  ASSERT_NE(dbg, nullptr);
  EXPECT_FALSE(dbg->takes_value);
  EXPECT_EQ(dbg->shorts, std::vector<std::string>{"d"});
  EXPECT_EQ(accepted_spellings(*dbg), (std::vector<std::string>{"--debug", "-d", "-debug"}));

  ASSERT_EQ(cli.commands.size(), 1u);  // "hidden" is left out
  const Command& exec = cli.commands[0];
  const Option* envopt = find_option(exec.options, "env");
  ASSERT_NE(envopt, nullptr);
  EXPECT_TRUE(envopt->repeatable);
  EXPECT_EQ(envopt->kind, ValueKind::none);
  EXPECT_EQ(find_option(exec.options, "format")->choices,
            (std::vector<std::string>{"table", "json"}));
  ASSERT_EQ(exec.positionals.size(), 2u);
  EXPECT_EQ(exec.positionals[0].name, "id");
  EXPECT_EQ(exec.positionals[0].kind, ValueKind::container_id);
  EXPECT_TRUE(exec.positionals[0].required);
  EXPECT_TRUE(exec.positionals[1].many);
}

// The real definition: what the man pages and completions are made from.
TEST(DocgenModel, NexcageDefinition) {
  Cli cli = describe_nexcage();
  EXPECT_EQ(cli.name, "nexcage");
  for (const char* name : {"create", "start", "state", "kill", "delete", "run", "exec", "list",
                           "ps", "pause", "resume", "update", "events", "features", "spec"})
    EXPECT_NE(find_command(cli, name), nullptr) << name;
  for (const char* name :
       {"start", "state", "kill", "delete", "exec", "ps", "pause", "resume", "update", "events"}) {
    const Command* c = find_command(cli, name);
    ASSERT_NE(c, nullptr);
    ASSERT_FALSE(c->positionals.empty()) << name;
    EXPECT_EQ(c->positionals[0].kind, ValueKind::container_id) << name;
  }
  EXPECT_TRUE(find_command(cli, "list")->positionals.empty());
  // create and run name a new container: existing ids are no completion for it.
  EXPECT_EQ(find_command(cli, "create")->positionals.at(0).kind, ValueKind::none);
  EXPECT_EQ(find_command(cli, "run")->positionals.at(0).kind, ValueKind::none);
  EXPECT_EQ(find_command(cli, "kill")->positionals[1].kind, ValueKind::signal);
  EXPECT_EQ(find_option(find_command(cli, "create")->options, "bundle")->kind,
            ValueKind::directory);
  const Option* backend = find_option(cli.options, "backend");
  ASSERT_NE(backend, nullptr);
  EXPECT_EQ(backend->kind, ValueKind::choice);
  EXPECT_NE(std::find(backend->choices.begin(), backend->choices.end(), "runc"),
            backend->choices.end());
  // --root and --config say where `list -q` looks; the completions pass them on.
  EXPECT_TRUE(locates_state(*find_option(cli.options, "root")));
  EXPECT_TRUE(locates_state(*find_option(cli.options, "config")));
  EXPECT_FALSE(locates_state(*find_option(cli.options, "log")));
}
