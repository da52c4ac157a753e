#include "nexcage/backend/oci_cli/backend_log.hpp"

#include <gtest/gtest.h>

using nexcage::backend::oci_cli::error_message_of_line;

TEST(BackendLog, TakesErrorLinesOfRuncAndCrun) {
  EXPECT_EQ(error_message_of_line(R"({"level":"error","msg":"container does not exist","time":"2026-11-22T15:42:40Z"})"),
            "container does not exist");
  EXPECT_EQ(error_message_of_line(R"({"msg":"cannot open directory","level":"error","time":"2026-11-22T15:42:40.565947Z"})"),
            "cannot open directory");
}

TEST(BackendLog, IgnoresOtherLevelsAndGarbage) {
  EXPECT_EQ(error_message_of_line(R"({"level":"debug","msg":"x"})"), "");
  EXPECT_EQ(error_message_of_line(R"({"level":"error"})"), "");
  EXPECT_EQ(error_message_of_line(R"({"level":"error","msg":5})"), "");
  EXPECT_EQ(error_message_of_line("time=\"x\" level=error msg=\"text format\""), "");
  EXPECT_EQ(error_message_of_line("[1,2]"), "");
}
