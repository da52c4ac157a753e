#include "nexcage/process/environment.hpp"

#include <gtest/gtest.h>

using nexcage::process::caller_environment;

// runc and crun get the caller's environment as runc's caller would give it: only nexcage's own
// variables are removed, and a PATH is added when there is none (podman calls with none).
TEST(CallerEnvironment, TheCallersMinusNexcagesOwn) {
  std::string path = "PATH=/opt/bin", listen = "LISTEN_FDS=2", config = "NEXCAGE_CONFIG=/c",
              hook = "HOOKVAR=1";
  char* with_path[] = {path.data(), listen.data(), config.data(), hook.data(), nullptr};
  EXPECT_EQ(caller_environment(with_path),
            (std::vector<std::string>{"PATH=/opt/bin", "LISTEN_FDS=2", "HOOKVAR=1"}));
  char* without_path[] = {hook.data(), nullptr};
  EXPECT_EQ(caller_environment(without_path),
            (std::vector<std::string>{
                "HOOKVAR=1", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}));
  EXPECT_EQ(caller_environment(nullptr),
            (std::vector<std::string>{
                "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}));
}
