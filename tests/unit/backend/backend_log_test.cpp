#include <gtest/gtest.h>

#include "nexcage/core/log.hpp"

namespace {
std::string error_message_of_line(const std::string& line) {
  return nexcage::log::parse_backend_line(line).error_message();
}
}  // namespace

TEST(BackendLog, TakesErrorLinesOfRuncAndCrun) {
  EXPECT_EQ(
      error_message_of_line(
          R"({"level":"error","msg":"container does not exist","time":"2026-11-22T15:42:40Z"})"),
      "container does not exist");
  EXPECT_EQ(
      error_message_of_line(
          R"({"msg":"cannot open directory","level":"error","time":"2026-11-22T15:42:40.565947Z"})"),
      "cannot open directory");
  // A Go panic ends the backend as surely as a fatal error does.
  EXPECT_EQ(error_message_of_line(R"({"level":"panic","msg":"runtime error: index out of range"})"),
            "runtime error: index out of range");
}

TEST(BackendLog, IgnoresOtherLevelsAndGarbage) {
  EXPECT_EQ(error_message_of_line(R"({"level":"debug","msg":"x"})"), "");
  EXPECT_EQ(error_message_of_line(R"({"level":"error"})"), "");
  EXPECT_EQ(error_message_of_line(R"({"level":"error","msg":5})"), "");
  EXPECT_EQ(error_message_of_line("time=\"x\" level=error msg=\"text format\""), "");
  EXPECT_EQ(error_message_of_line("[1,2]"), "");
}
