// The entrypoint quoting must survive LXC's lxc_string_split_quoted, which is re-implemented
// here from lxc/lxc src/lxc/string_utils.c so every quoted argument list can be round-tripped.
#include <cctype>
#include <random>

#include <gtest/gtest.h>

#include "nexcage/backend/pct/translate.hpp"

using nexcage::backend::pct::quote_entrypoint_arg;

namespace {

// LXC's splitter: whitespace separates words; a word starting with ' or " runs to the next
// identical quote (which is dropped); no escapes; an unterminated quoted word is lost.
std::vector<std::string> lxc_split(const std::string& s) {
  std::vector<std::string> words;
  char state = ' ';
  std::size_t start = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (state == ' ') {
      if (std::isspace(static_cast<unsigned char>(c))) continue;
      start = i;
      state = (c == '"' || c == '\'') ? c : 'a';
    } else if (state == 'a') {
      if (std::isspace(static_cast<unsigned char>(c))) {
        words.push_back(s.substr(start, i - start));
        state = ' ';
      }
    } else if (c == state) {
      words.push_back(s.substr(start + 1, i - start - 1));
      state = ' ';
    }
  }
  if (state == 'a') words.push_back(s.substr(start));
  return words;
}

std::string quote(const std::string& arg) {
  std::string out;
  EXPECT_TRUE(quote_entrypoint_arg(arg, out)) << arg;
  return out;
}

bool refused(const std::string& arg) {
  std::string out = "untouched";
  bool ok = quote_entrypoint_arg(arg, out);
  EXPECT_EQ(out, "untouched");
  return !ok;
}

}  // namespace

TEST(EntrypointQuote, PlainWordsStayBare) {
  EXPECT_EQ(quote("/usr/bin/nginx"), "/usr/bin/nginx");
  EXPECT_EQ(quote("--flag=value"), "--flag=value");
  EXPECT_EQ(quote("mid'quote"), "mid'quote");
  EXPECT_EQ(quote("a\"b"), "a\"b");
}

TEST(EntrypointQuote, WhitespaceAndLeadingQuotesAreQuoted) {
  EXPECT_EQ(quote("daemon off;"), "'daemon off;'");
  EXPECT_EQ(quote("tab\there"), "'tab\there'");
  EXPECT_EQ(quote("it's here"), "\"it's here\"");
  EXPECT_EQ(quote("'leading"), "\"'leading\"");
  EXPECT_EQ(quote("\"leading"), "'\"leading'");
  EXPECT_EQ(quote(""), "''");
}

TEST(EntrypointQuote, RefusesWhatLxcCannotReadBack) {
  EXPECT_TRUE(refused("echo \"it's\""));
  EXPECT_TRUE(refused("'\""));
  EXPECT_TRUE(refused("line\nbreak"));
  EXPECT_TRUE(refused(std::string("nul\0byte", 8)));
  EXPECT_TRUE(refused("del\x7f"));
  EXPECT_TRUE(refused("esc\x1b[0m"));
}

TEST(EntrypointQuote, RoundTripsThroughLxcSplitter) {
  std::mt19937 rng(20261130);
  const std::string alphabet = "ab /'\"\t=-;$\\*";
  std::uniform_int_distribution<std::size_t> len(0, 6), pick(0, alphabet.size() - 1), count(1, 5);
  int checked = 0;
  for (int round = 0; round < 5000; ++round) {
    std::vector<std::string> args(count(rng));
    for (auto& a : args)
      for (std::size_t n = len(rng); n > 0; --n) a += alphabet[pick(rng)];
    std::string cmd;
    bool ok = true;
    for (const auto& a : args) {
      std::string word;
      if (!quote_entrypoint_arg(a, word)) {
        ok = false;
        EXPECT_TRUE(a.find('\'') != std::string::npos && a.find('"') != std::string::npos) << a;
        break;
      }
      cmd += (cmd.empty() ? "" : " ") + word;
    }
    if (!ok) continue;
    ++checked;
    ASSERT_EQ(lxc_split(cmd), args) << "entrypoint: " << cmd;
  }
  EXPECT_GT(checked, 1000);
}
