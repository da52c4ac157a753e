#include "nexcage/state/root_choice.hpp"

#include <gtest/gtest.h>

#include "nexcage/core/error.hpp"

using nexcage::state::Caller;
using nexcage::state::choose_state_root;
using nexcage::state::uses_runtime_dir;

// runc's shouldHonorXDGRuntimeDir, case by case.
TEST(StateRootChoice, RuncsRuleForTheRuntimeDirectory) {
  EXPECT_TRUE(uses_runtime_dir({1000, false, "/run/user/1000", "alice"}));
  EXPECT_FALSE(uses_runtime_dir({1000, false, std::nullopt, "alice"}));
  EXPECT_FALSE(uses_runtime_dir({0, false, "/run/user/0", "root"})) << "real root";
  EXPECT_FALSE(uses_runtime_dir({0, false, "/run/user/0", std::nullopt})) << "real root, no USER";
  EXPECT_TRUE(uses_runtime_dir({0, true, "/run/user/1000", std::nullopt}))
      << "rootless podman: no USER";
  EXPECT_TRUE(uses_runtime_dir({0, true, "/run/user/1000", "alice"}));
  EXPECT_FALSE(uses_runtime_dir({0, true, "/run/user/0", "root"}))
      << "root in a container, USER=root";
}

TEST(StateRootChoice, FlagThenRuntimeDirThenConfigThenDefault) {
  Caller root{0, false, "/run/user/0", "root"};
  Caller user{1000, false, "/run/user/1000", "alice"};
  EXPECT_EQ(choose_state_root("/r", "/cfg", user), "/r");
  EXPECT_EQ(choose_state_root("", "/cfg", user), "/run/user/1000/nexcage")
      << "root's config root is root's";
  EXPECT_EQ(choose_state_root("", "/cfg", root), "/cfg");
  EXPECT_EQ(choose_state_root("", std::nullopt, root), "/run/nexcage");
  EXPECT_THROW(choose_state_root("/", std::nullopt, root), nexcage::Error);
}

TEST(StateRootChoice, AUserWithoutARuntimeDirIsToldWhatToSet) {
  try {
    choose_state_root("", std::nullopt, Caller{1000, false, std::nullopt, "alice"});
    FAIL() << "no error";
  } catch (const nexcage::Error& e) {
    EXPECT_EQ(
        std::string(e.what()),
        "no state root for uid 1000: XDG_RUNTIME_DIR is not set, and /run/nexcage belongs to root");
    EXPECT_NE(e.hint().find("--root DIR"), std::string::npos) << e.hint();
  }
}
