#include "nexcage/process/signals.hpp"

#include <csignal>

#include <gtest/gtest.h>

#include "nexcage/core/error.hpp"

using nexcage::process::parse_signal;

TEST(ParseSignal, AcceptsNamesWithAndWithoutSigInAnyCase) {
  EXPECT_EQ(parse_signal("TERM"), SIGTERM);
  EXPECT_EQ(parse_signal("SIGTERM"), SIGTERM);
  EXPECT_EQ(parse_signal("sigterm"), SIGTERM);
  EXPECT_EQ(parse_signal("kill"), SIGKILL);
  EXPECT_EQ(parse_signal("SigUsr1"), SIGUSR1);
  EXPECT_EQ(parse_signal("WINCH"), SIGWINCH);
}

TEST(ParseSignal, AcceptsNumbers) {
  EXPECT_EQ(parse_signal("9"), 9);
  EXPECT_EQ(parse_signal("0"), 0);
  EXPECT_EQ(parse_signal("15"), 15);
  EXPECT_EQ(parse_signal("64"), SIGRTMAX);
}

TEST(ParseSignal, AcceptsRealtimeOffsets) {
  EXPECT_EQ(parse_signal("RTMIN"), SIGRTMIN);
  EXPECT_EQ(parse_signal("SIGRTMIN+3"), SIGRTMIN + 3);
  EXPECT_EQ(parse_signal("RTMAX-1"), SIGRTMAX - 1);
}

TEST(ParseSignal, RejectsEverythingElseNamingTheInput) {
  for (const char* bad : {"", "65", "-9", "FOO", "SIG", "9x", "RTMIN+99", "RTMAX+1"}) {
    try {
      parse_signal(bad);
      ADD_FAILURE() << "accepted " << bad;
    } catch (const nexcage::Error& e) {
      EXPECT_EQ(std::string(e.what()), std::string("invalid signal \"") + bad + "\"");
      EXPECT_EQ(e.kind(), nexcage::ErrorKind::usage);
    }
  }
}
