#include "nexcage/router/pattern.hpp"

#include <fnmatch.h>

#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

using nexcage::router::Pattern;

namespace {

bool fnmatches(const std::string& glob, const std::string& value) {
  return ::fnmatch(glob.c_str(), value.c_str(), 0) == 0;
}

}  // namespace

// The glob form keeps fnmatch(3)'s meaning (what the config file documented before RE2).
TEST(Pattern, GlobAgreesWithFnmatch) {
  const std::vector<std::string> globs{
      "*",     "web-*", "*-db",        "a?c", "[abc]x", "[!abc]x", "[^abc]x",      "[a-c]*",
      "[]a]",  "[!]a]", "x[",          "x[a", "\\*",    "a\\?b",   "[[:digit:]]*", "*.*",
      "a*b*c", "[a-]",  "[-a]",        ".*",  "a/b*",   "[\\]]",   "(x)+",         "^x$",
      "a|b",   "{a,b}", "[x-z][!0-9]?"};
  const std::vector<std::string> values{
      "",  "web-1", "web-",  "x-db", "abc", "axc", "ax",    "bx",  "dx",  "]",
      "a", "x[",    "x[a",   "*",    "a?b", "axb", "7up",   "a.b", "abc", "aXbYc",
      "-", ".x",    "a/b/c", "(x)+", "^x$", "a|b", "{a,b}", "yq!", "z9x", "[x"};
  for (const auto& g : globs) {
    auto p = Pattern::glob(g);
    for (const auto& v : values)
      EXPECT_EQ(p.matches(v), fnmatches(g, v)) << "glob " << g << " value " << v;
  }
}

TEST(Pattern, RegexIsAnchored) {
  auto p = Pattern::regex("web-[0-9]+");
  EXPECT_TRUE(p.matches("web-12"));
  EXPECT_FALSE(p.matches("web-12x"));
  EXPECT_FALSE(p.matches("xweb-12"));
  auto alt = Pattern::regex("fast|faster");
  EXPECT_TRUE(alt.matches("faster"));
  EXPECT_FALSE(alt.matches("fastest"));
}

// std::regex recursed once per character: these crashed (SIGSEGV) or hung before RE2.
TEST(Pattern, LongValuesAndCatastrophicPatternsAreLinear) {
  std::string huge(200 * 1024, 'a');
  EXPECT_TRUE(Pattern::regex("a.*").matches(huge));
  EXPECT_TRUE(Pattern::regex("(a|b)*").matches(huge));
  EXPECT_TRUE(Pattern::glob("a*").matches(huge));
  EXPECT_FALSE(Pattern::regex("(a+)+$").matches(huge + "b"));
  EXPECT_FALSE(Pattern::glob("*a*a*a*a*a*a*a*a*b").matches(huge));
}

TEST(Pattern, RefusesEmptyOversizedAndInvalidPatterns) {
  EXPECT_THROW(Pattern::regex(""), std::invalid_argument);
  EXPECT_THROW(Pattern::glob(""), std::invalid_argument);
  EXPECT_THROW(Pattern::regex(std::string(nexcage::router::max_pattern_bytes + 1, 'a')),
               std::invalid_argument);
  EXPECT_THROW(Pattern::regex("("), std::invalid_argument);
  EXPECT_THROW(Pattern::regex("a{2,1}"), std::invalid_argument);
  EXPECT_THROW(Pattern::regex("(a)\\1"), std::invalid_argument);  // backreferences are not linear
  // tests/fuzz/crashes/config_file-regex-number-overflow: std::regex overflowed a long (UB) here.
  // RE2 reads a count it cannot hold as literal text, as it reads "a{x}".
  EXPECT_TRUE(Pattern::regex("a{99999999999999999999}").matches("a{99999999999999999999}"));
  EXPECT_THROW(Pattern::regex("(a)\\99999999999999999999"), std::invalid_argument);
  EXPECT_THROW(Pattern::regex("a{1000}{1000}"),
               std::invalid_argument);  // a program beyond RE2's bound
  EXPECT_NO_THROW(Pattern::regex(std::string(nexcage::router::max_pattern_bytes, 'a')));
}

TEST(Pattern, DefaultMatchesNothing) {
  EXPECT_FALSE(Pattern().matches(""));
}
