#include "cli/usage_error.hpp"

#include <gtest/gtest.h>

#include "cli/definition.hpp"
#include "cli/normalize.hpp"

using Args = std::vector<std::string>;
using nexcage::cli::closest;

namespace {

// What nexcage prints on stderr for a command line CLI11 refuses ("" when it parses).
std::string refusal(const Args& args) {
  CLI::App app;
  nexcage::cli::GlobalFlags g;
  nexcage::cli::Action action;
  nexcage::cli::define_cli_for(app, g, action, args);
  auto normalized = nexcage::cli::normalize_argv(app, args, {"exec", "ps"});
  std::vector<const char*> argv;
  for (const auto& a : normalized) argv.push_back(a.c_str());
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::ParseError& e) {
    return nexcage::cli::usage_error_text(app, args, e);
  }
  return {};
}

}  // namespace

TEST(Closest, TyposButNotOtherWords) {
  EXPECT_EQ(closest("--fromat", {"--format", "--quiet", "-f", "-q"}), "--format");
  EXPECT_EQ(closest("--forse", {"--force", "-f"}), "--force");
  EXPECT_EQ(closest("lsit", {"list", "kill", "start"}), "list");
  EXPECT_EQ(closest("--zzzzzz", {"--format", "--quiet"}), "");
  EXPECT_EQ(closest("-x", {"-f", "-q"}), "") << "one letter of two is no typo";
  EXPECT_EQ(closest("--format", {"--format"}), "") << "an exact match is not a typo";
}

TEST(UsageError, UnknownFlagNamesTheCommandAndTheClosestFlag) {
  EXPECT_EQ(refusal({"nexcage", "list", "--fromat", "json"}),
            "nexcage: --fromat: unknown flag of 'nexcage list'; did you mean --format?\n"
            "Run 'nexcage list --help' for usage.\n");
  EXPECT_EQ(refusal({"nexcage", "delete", "--forse", "x"}),
            "nexcage: --forse: unknown flag of 'nexcage delete'; did you mean --force?\n"
            "Run 'nexcage delete --help' for usage.\n");
  EXPECT_EQ(
      refusal({"nexcage", "exec", "--bogus", "x", "true"}),
      "nexcage: --bogus: unknown flag of 'nexcage exec'\nRun 'nexcage exec --help' for usage.\n");
}

TEST(UsageError, GlobalFlagsPointAtTheTopLevelHelp) {
  EXPECT_EQ(refusal({"nexcage", "--rooot", "/r", "list"}),
            "nexcage: --rooot: unknown flag of 'nexcage'; did you mean --root?\nRun 'nexcage "
            "--help' for usage.\n");
  EXPECT_EQ(refusal({"nexcage", "--log-format", "xml", "list"}),
            "nexcage: --log-format: xml not in {text,json}\nRun 'nexcage --help' for usage.\n");
}

TEST(UsageError, UnknownCommandsAndBadValues) {
  EXPECT_EQ(
      refusal({"nexcage", "lsit"}),
      "nexcage: lsit: unknown command; did you mean list?\nRun 'nexcage --help' for usage.\n");
  EXPECT_EQ(refusal({"nexcage", "create", "--preserve-fds", "abc", "x"}),
            "nexcage: --preserve-fds: \"abc\" is not a valid value\nRun 'nexcage create --help' "
            "for usage.\n");
  EXPECT_EQ(refusal({"nexcage", "kill"}),
            "nexcage: container-id: missing\nRun 'nexcage kill --help' for usage.\n");
  EXPECT_EQ(refusal({"nexcage", "list", "a", "b"}),
            "nexcage: a b: unexpected arguments\nRun 'nexcage list --help' for usage.\n");
}

// std::regex recursed per character: a long argument crashed nexcage (found in review).
TEST(UsageError, ALongArgumentIsAnErrorNotACrash) {
  std::string huge(200000, 'a');
  EXPECT_EQ(refusal({"nexcage", "list", huge, "b"}).rfind("nexcage: " + huge.substr(0, 10), 0), 0u);
  EXPECT_EQ(refusal({"nexcage", "create", "--preserve-fds", huge, "x"})
                .rfind("nexcage: --preserve-fds: \"aaa", 0),
            0u);
  EXPECT_EQ(refusal({"nexcage", "list", "a"}),
            "nexcage: a: unexpected argument\nRun 'nexcage list --help' for usage.\n");
  EXPECT_EQ(refusal({"nexcage", ""}),
            "nexcage: \"\": unknown command\nRun 'nexcage --help' for usage.\n");
}

TEST(UsageError, TheContainerCommandsFlagsAreNotNexcages) {
  EXPECT_EQ(refusal({"nexcage", "exec", "x", "ls", "--bogus"}), "");
  EXPECT_EQ(refusal({"nexcage", "exec", "-t", "-d", "x", "ls"}), "");
}
