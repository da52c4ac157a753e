#include "docgen/man.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "docgen/markdown.hpp"
#include "docgen/roff.hpp"

using namespace nexcage::docgen;

namespace {

std::string read_source(const std::string& relative) {
  std::ifstream in(std::string(NEXCAGE_SOURCE_DIR) + "/" + relative);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string escaped_option(const std::string& spelling) {
  return roff_escape(spelling);
}

}  // namespace

TEST(Roff, EscapesHyphensBackslashesAndControlLines) {
  EXPECT_EQ(roff_escape("--root a\\b"), "\\-\\-root a\\eb");
  EXPECT_EQ(roff_escape(".hidden\n'quote"), "\\&.hidden\n\\&'quote");
  EXPECT_EQ(roff_inline("use `--root` or **this** or *that*, 2 * 3"),
            "use \\fB\\-\\-root\\fR or \\fBthis\\fR or \\fIthat\\fR, 2 * 3");
}

// groff warns (and lintian fails) on a word longer than the line: long code spans may break
// after a comma.
TEST(Roff, LongCodeSpansMayBreakAfterCommas) {
  EXPECT_EQ(roff_inline("`a,b`"), "\\fBa,b\\fR");
  EXPECT_EQ(roff_inline("`bridge=vmbr0,ip=dhcp,gw=10.0.0.1,tag=5`"),
            "\\fBbridge=vmbr0,\\:ip=dhcp,\\:gw=10.0.0.1,\\:tag=5\\fR");
}

// Hints send a package's user to nexcage-pct(7), made from docs/backends/pct.md.
TEST(ManPages, PctPageIsThePctDocument) {
  std::string md = read_source("docs/backends/pct.md");
  ASSERT_FALSE(md.empty());
  ManPage page = pct_page(md, "9.9.9");
  EXPECT_EQ(page.file_name, "nexcage-pct.7");
  EXPECT_NE(page.text.find(".SH NAME\nnexcage-pct \\- "), std::string::npos);
  EXPECT_NE(page.text.find("nexcage\\-monitor"), std::string::npos);
}

// runc's help ends with examples; every command's --help and man page has them too.
TEST(ManPages, EveryCommandHasExamplesInItsHelpAndPage) {
  Cli cli = describe_nexcage();
  EXPECT_NE(main_page(cli, "9.9.9").text.find(".SH EXAMPLES\n"), std::string::npos);
  EXPECT_NE(main_page(cli, "9.9.9").text.find("create \\-\\-image"), std::string::npos)
      << "the admin form";
  for (const auto& c : cli.commands) {
    ASSERT_FALSE(c.examples.empty()) << c.name;
    for (const auto& e : c.examples)
      EXPECT_EQ(e.command.find("nexcage "), 0u) << c.name << ": " << e.command;
    EXPECT_EQ(c.footer.find("Examples:"), std::string::npos)
        << "examples are not prose: " << c.name;
    auto page = command_page(cli, c, "9.9.9").text;
    EXPECT_NE(page.find(".SH EXAMPLES\n.TP\n\\fB" + roff_escape(c.examples.front().command)),
              std::string::npos)
        << c.name;
  }
}

TEST(Markdown, HeadingsListsTablesAndBlocks) {
  std::string md =
      "# Title\n\nA paragraph\nover two lines.\n\n## Keys\n\n"
      "| key | type | meaning |\n|---|---|---|\n| `root` | path | state \\| dir |\n\n"
      "1. first\n   continued\n2. second\n\n- bullet\n\n```json\n{\"a\": 1}\n.dot\n```\n";
  std::string roff = markdown_to_roff(md);
  EXPECT_EQ(roff.find("Title"), std::string::npos) << "the # title is the page's own";
  EXPECT_NE(roff.find(".PP\nA paragraph\nover two lines.\n"), std::string::npos) << roff;
  EXPECT_NE(roff.find(".SH \"KEYS\"\n"), std::string::npos) << roff;
  EXPECT_NE(roff.find(".TP\n\\fBroot\\fR\nstate | dir (type: path)\n"), std::string::npos) << roff;
  EXPECT_NE(roff.find(".IP 1. 4\nfirst\ncontinued\n"), std::string::npos) << roff;
  EXPECT_NE(roff.find(".IP \\(bu 4\nbullet\n"), std::string::npos) << roff;
  EXPECT_NE(roff.find(".nf\n{\"a\": 1}\n\\&.dot\n.fi\n"), std::string::npos) << roff;
}

TEST(ManPages, EveryCommandAndFlagIsDocumented) {
  Cli cli = describe_nexcage();
  ManPage main = main_page(cli, "9.9.9");
  EXPECT_EQ(main.file_name, "nexcage.8");
  EXPECT_EQ(main.text.rfind(".TH \"NEXCAGE\" \"8\" \"\" \"nexcage 9.9.9\"", 0), 0u) << main.text;
  EXPECT_NE(main.text.find(".SH NAME\nnexcage \\- a runc"), std::string::npos);
  for (const auto& o : cli.options)
    for (const auto& s : spellings(o))
      EXPECT_NE(main.text.find(escaped_option(s)), std::string::npos) << s;
  for (const auto& c : cli.commands) {
    EXPECT_NE(main.text.find("\\fBnexcage\\-" + c.name + "\\fR(8)"), std::string::npos) << c.name;
    ManPage page = command_page(cli, c, "9.9.9");
    EXPECT_EQ(page.file_name, "nexcage-" + c.name + ".8");
    EXPECT_NE(page.text.find(".SH NAME\nnexcage-" + c.name + " \\- "), std::string::npos)
        << page.text;
    for (const auto& o : c.options)
      for (const auto& s : spellings(o))
        EXPECT_NE(page.text.find(escaped_option(s)), std::string::npos) << c.name << " " << s;
    for (const auto& p : c.positionals)
      EXPECT_NE(page.text.find("\\fI" + roff_escape(p.name) + "\\fR"), std::string::npos) << p.name;
  }
}

// nexcage-config.json(5) is docs/configuration.md: every key of its table is in the page.
TEST(ManPages, ConfigPageHasEveryDocumentedKey) {
  std::string md = read_source("docs/configuration.md");
  ASSERT_FALSE(md.empty());
  ManPage page = config_page(md, "9.9.9");
  EXPECT_EQ(page.file_name, "nexcage-config.json.5");
  EXPECT_NE(page.text.find(".SH NAME\nnexcage-config.json \\- "), std::string::npos);
  std::istringstream lines(md);
  int keys = 0;
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("| `", 0) != 0) continue;
    std::string key = line.substr(3, line.find('`', 3) - 3);
    EXPECT_NE(page.text.find("\\fB" + roff_escape(key) + "\\fR"), std::string::npos) << key;
    ++keys;
  }
  EXPECT_GT(keys, 5);
}

// nexcage(8) shows where each setting comes from: the table of docs/configuration.md, each
// environment variable in its ENVIRONMENT section too.
TEST(ManPages, MainPageHasTheSettingsOrder) {
  std::string md = read_source("docs/configuration.md");
  auto section = markdown_section(md, "Where each setting comes from");
  ASSERT_FALSE(section.empty());
  EXPECT_EQ(section.rfind("## Where each setting comes from\n", 0), 0u);
  EXPECT_EQ(section.find("\n## "), std::string_view::npos) << "one section only";
  ManPage main = main_page(describe_nexcage(), "9.9.9", md);
  EXPECT_NE(main.text.find(".SH \"WHERE EACH SETTING COMES FROM\""), std::string::npos)
      << main.text;
  for (const char* name : {"NEXCAGE_CONFIG", "NEXCAGE_ROOT", "NEXCAGE_DEFAULT_BACKEND",
                           "NEXCAGE_LOG", "NEXCAGE_LOG_FORMAT", "NEXCAGE_LOG_LEVEL"}) {
    EXPECT_NE(main.text.find(".TP\n\\fB" + roff_escape(name) + "\\fR"), std::string::npos) << name;
    EXPECT_NE(section.find(std::string("`") + name + "`"), std::string_view::npos) << name;
  }
  EXPECT_TRUE(markdown_section(md, "No such heading").empty());
}
