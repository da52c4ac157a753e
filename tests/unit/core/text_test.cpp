#include "nexcage/core/text.hpp"

#include <gtest/gtest.h>

#include "nexcage/core/error.hpp"

using nexcage::parse_u32;
using nexcage::trim;

TEST(Trim, BothEnds) {
  EXPECT_EQ(trim("  FROZEN\n"), "FROZEN");
  EXPECT_EQ(trim("\t a b \r\n"), "a b");
  EXPECT_EQ(trim("x"), "x");
  EXPECT_EQ(trim(""), "");
  EXPECT_EQ(trim(" \n\t\r"), "");
}

TEST(ParseU32, WholeDecimalNumbersOnly) {
  EXPECT_EQ(parse_u32("0"), 0u);
  EXPECT_EQ(parse_u32("100"), 100u);
  EXPECT_EQ(parse_u32("4294967295"), 4294967295u);
  EXPECT_EQ(parse_u32("007"), 7u);
  for (const char* bad : {"", "4294967296", "-1", "+1", " 1", "1 ", "1\n", "12abc", "0x10", "1.5"})
    EXPECT_EQ(parse_u32(bad), std::nullopt) << bad;
}

TEST(ParseByteSize, RuncsUnits) {
  EXPECT_EQ(nexcage::parse_byte_size("4096"), 4096);
  EXPECT_EQ(nexcage::parse_byte_size("50M"), 50 * 1024 * 1024);
  EXPECT_EQ(nexcage::parse_byte_size("50mb"), 50 * 1024 * 1024);
  EXPECT_EQ(nexcage::parse_byte_size("50 MiB"), 50 * 1024 * 1024);
  EXPECT_EQ(nexcage::parse_byte_size("1.5g"), 1536LL * 1024 * 1024);
  EXPECT_EQ(nexcage::parse_byte_size("512k"), 512 * 1024);
  EXPECT_EQ(nexcage::parse_byte_size("2b"), 2);
  EXPECT_EQ(nexcage::parse_byte_size("1P"), 1LL << 50);
  for (const char* bad :
       {"", "M", "-1", "50X", "5 0", "1.", ".5", "1.2.3", "50MM", "9999999P", "50  M"})
    EXPECT_FALSE(nexcage::parse_byte_size(bad)) << bad;
}

TEST(Printable, ControlCharactersAndBrokenUtf8AreEscaped) {
  using nexcage::printable;
  EXPECT_EQ(printable("plain text / with \\ backslash"), "plain text / with \\ backslash");
  EXPECT_EQ(printable(std::string("host\x1b[2Jname", 12)), "host\\x1b[2Jname");
  EXPECT_EQ(printable(std::string("a\0b", 3)), "a\\x00b");
  EXPECT_EQ(printable("a\tb\rc\x7f"), "a\\tb\\rc\\x7f");
  EXPECT_EQ(printable("line1\nline2"), "line1\nline2");
  EXPECT_EQ(printable("line1\nline2", false), "line1\\nline2");
  EXPECT_EQ(printable("h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x90\xb3"),
            "h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x90\xb3");
  EXPECT_EQ(printable("csi \xc2\x9b"
                      "31m"),
            "csi \\xc2\\x9b31m");  // U+009B is CSI on UTF-8 terminals
  EXPECT_EQ(printable("bad \xff\xc3"), "bad \\xff\\xc3");
  EXPECT_EQ(printable("\xed\xa0\x80"), "\\xed\\xa0\\x80");  // a UTF-16 surrogate is not UTF-8
}

TEST(Printable, ErrorsCarryOnlyPrintableText) {
  nexcage::Error e(nexcage::ErrorKind::invalid_input,
                   std::string("hostname \"\x1b]0;pwned\x07\0rest\"", 26), "hint\x1b[1m");
  EXPECT_EQ(std::string(e.what()), "hostname \"\\x1b]0;pwned\\x07\\x00rest\"");
  EXPECT_EQ(e.hint(), "hint\\x1b[1m");
}

TEST(Excerpt, LongValuesAreCut) {
  EXPECT_EQ(nexcage::excerpt("short"), "short");
  EXPECT_EQ(nexcage::excerpt(std::string(200000, 'x'), 4), "xxxx... (200000 bytes)");
}

TEST(CpuList, TheKernelsCpusetListSyntax) {
  for (const char* s : {"0", "0-3", "0-3,5", "1,2,3", "10-20,30-40"})
    EXPECT_TRUE(nexcage::is_cpu_list(s)) << s;
  for (const char* s : {"", ",", "0,", ",0", "0-", "-1", "0--3", "0-3-5", "a", "0 ,1", "0-3,"})
    EXPECT_FALSE(nexcage::is_cpu_list(s)) << s;
}

TEST(UnescapeOctal, DecodesTheKernelsMountEscapes) {
  using nexcage::unescape_octal;
  EXPECT_EQ(unescape_octal("/mnt/with\\040space"), "/mnt/with space");
  EXPECT_EQ(unescape_octal("a\\011b\\012c\\134d"), "a\tb\nc\\d");
  EXPECT_EQ(unescape_octal("\\040"), " ");  // at the very start and end
  EXPECT_EQ(unescape_octal("\\377"), "\xff");
}

TEST(UnescapeOctal, LeavesWhatIsNotOneByteAlone) {
  using nexcage::unescape_octal;
  EXPECT_EQ(unescape_octal("\\777"), "\\777");  // 511 does not fit a byte
  EXPECT_EQ(unescape_octal("\\400"), "\\400");
  EXPECT_EQ(unescape_octal("\\08"), "\\08");
  EXPECT_EQ(unescape_octal("end\\04"), "end\\04");  // cut short
  EXPECT_EQ(unescape_octal("\\"), "\\");
}

TEST(LastLine, IsWhereToolsPutTheirReason) {
  using nexcage::last_line;
  EXPECT_EQ(last_line("step 1\nstep 2\nerror: no space left\n\n"), "error: no space left");
  EXPECT_EQ(last_line("  only line  \n"), "only line");
  EXPECT_EQ(last_line(""), "");
  EXPECT_EQ(last_line("\n \n"), "");
}

TEST(Join, PutsTheSeparatorBetweenEveryTwoWords) {
  using nexcage::join;
  EXPECT_EQ(join({}, ", "), "");
  EXPECT_EQ(join({"a"}, ", "), "a");
  EXPECT_EQ(join({"", "b"}, ","), ",b");  // an empty first word still gets its separator
  EXPECT_EQ(join({"a", "b", "c"}, " | "), "a | b | c");
}

TEST(UpperAscii, TouchesOnlyAsciiLetters) {
  EXPECT_EQ(nexcage::upper_ascii("sigRtMin+3"), "SIGRTMIN+3");
  EXPECT_EQ(nexcage::upper_ascii("caf\xc3\xa9"), "CAF\xc3\xa9");
}
