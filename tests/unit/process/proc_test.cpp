#include "nexcage/process/proc.hpp"

#include <unistd.h>

#include <gtest/gtest.h>

using namespace nexcage::process;

TEST(ProcStat, ParsesCommWithSpacesAndParentheses) {
  std::string line =
      "4242 (a) b (c) S 1 4242 4242 0 -1 4194560 100 0 0 0 0 0 0 0 20 0 1 0 987654 1000 10";
  auto st = parse_proc_stat(line);
  ASSERT_TRUE(st);
  EXPECT_EQ(st->state, 'S');
  EXPECT_EQ(st->ppid, 1);
  EXPECT_EQ(st->start_time, 987654u);
}

TEST(ProcStat, RejectsTruncatedOrGarbage) {
  EXPECT_FALSE(parse_proc_stat(""));
  EXPECT_FALSE(parse_proc_stat("1 (x) S 1 2 3"));
  EXPECT_FALSE(parse_proc_stat("1 (x) S x 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20"));
}

TEST(ProcStat, SelfIsLiveAndAReusedPidIsNot) {
  auto self = read_proc_stat(getpid());
  ASSERT_TRUE(self);
  EXPECT_TRUE(is_same_live_process(getpid(), self->start_time));
  EXPECT_FALSE(is_same_live_process(getpid(), self->start_time + 1));
  EXPECT_FALSE(is_same_live_process(0, 0));
  EXPECT_FALSE(is_same_live_process(4194304 + 1, 0));
}

TEST(ParsePid, AcceptsDigitsWithTrailingNewlineOnly) {
  EXPECT_EQ(parse_pid("1234"), 1234);
  EXPECT_EQ(parse_pid("1234\n"), 1234);
  EXPECT_FALSE(parse_pid(""));
  EXPECT_FALSE(parse_pid("\n"));
  EXPECT_FALSE(parse_pid("0"));
  EXPECT_FALSE(parse_pid("-5"));
  EXPECT_FALSE(parse_pid("12a"));
  EXPECT_FALSE(parse_pid(" 12"));
}
