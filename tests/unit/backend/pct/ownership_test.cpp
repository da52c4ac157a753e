// The mark that ties a Proxmox container to one container id in one state root.
#include <gtest/gtest.h>

#include "nexcage/backend/pct/ownership.hpp"

using namespace nexcage::backend::pct;

TEST(PctOwnership, MarkNamesIdAndRoot) {
  EXPECT_EQ(owner_mark("web", "/run/nexcage/.backends/pct"),
            "nexcage container web\nnexcage root /run/nexcage/.backends/pct");
}

TEST(PctOwnership, CarriesMarkOnlyWhenBothLinesMatchExactly) {
  auto mark = owner_mark("web", "/r/.backends/pct");
  EXPECT_TRUE(carries_mark(mark, mark));
  EXPECT_TRUE(carries_mark(mark + "\nOCI annotations:\na: b", mark));
  EXPECT_FALSE(carries_mark("nexcage container web", mark));  // a mark without the root
  EXPECT_FALSE(carries_mark("nexcage container web\nnexcage root /other/.backends/pct", mark));
  EXPECT_FALSE(carries_mark("nexcage container web\nnexcage root /r/.backends/pct2", mark));
  EXPECT_FALSE(carries_mark("nexcage container webx\nnexcage root /r/.backends/pct", mark));
  EXPECT_FALSE(carries_mark("", mark));
  EXPECT_FALSE(carries_mark("x" + mark, mark));
}

TEST(PctOwnership, DescriptionFromConfigFileDecodesAndStopsAtSections) {
  // What Proxmox writes: '#' lines with encode_text (':' is %3A, '%' is %25), keys, sections.
  std::string text =
      "#nexcage container web\n#nexcage root /r%3Ax/.backends/pct\n#OCI annotations%3A\n"
      "arch: amd64\n#late line\nlxc.init.cwd: /\n\n[pve:pending]\n#pending note\nmemory: 64\n";
  EXPECT_EQ(description_from_config(text),
            "nexcage container web\nnexcage root /r:x/.backends/pct\nOCI annotations:\nlate line");
  EXPECT_EQ(description_from_config("arch: amd64\n"), "");
  EXPECT_EQ(description_from_config("#a\n#\n#b"), "a\n\nb");
}

TEST(PctOwnership, DecodeText) {
  EXPECT_EQ(decode_text("a%3Ab%25c%0Ad"), "a:b%c\nd");
  EXPECT_EQ(decode_text("100%"), "100%");
  EXPECT_EQ(decode_text("%zz%4"), "%zz%4");
  EXPECT_EQ(decode_text("%41%62"), "Ab");
}

TEST(PctOwnership, MarkedDescriptionFitsProxmoxLimitAndKeepsTheMark) {
  auto mark = owner_mark("web", "/r/.backends/pct");
  EXPECT_EQ(marked_description(mark, ""), mark);
  EXPECT_EQ(marked_description(mark, "OCI annotations:\na: b"), mark + "\nOCI annotations:\na: b");
  std::string annotations = "OCI annotations:";
  for (int i = 0; i < 300; ++i)
    annotations += "\nkey" + std::to_string(i) + ": " + std::string(30, 'v');
  auto d = marked_description(mark, annotations);
  EXPECT_LE(d.size(), 8192u);
  EXPECT_TRUE(carries_mark(d, mark));
  EXPECT_NE(d.back(), '\n');
  EXPECT_EQ(annotations.find(d.substr(mark.size() + 1)), 0u)
      << "whole lines from the start are kept";
}

TEST(PctOwnership, RecoveryLinesReadBackWithTheMark) {
  auto description =
      marked_description(owner_mark("web", "/run/nexcage/.backends/pct") + "\n" +
                             recovery_lines("2026-12-05T10:00:00.000000001Z", "/srv/bundles/web"),
                         "OCI annotations:\nk: v");
  auto mark = read_mark(description);
  ASSERT_TRUE(mark.has_value());
  EXPECT_EQ(mark->id, "web");
  EXPECT_EQ(mark->backend_root, "/run/nexcage/.backends/pct");
  EXPECT_EQ(mark->created, "2026-12-05T10:00:00.000000001Z");
  EXPECT_EQ(mark->bundle, "/srv/bundles/web");
  EXPECT_TRUE(carries_mark(description, owner_mark("web", "/run/nexcage/.backends/pct")));
}

TEST(PctOwnership, ABundlePathThatWouldNotReadBackIsLeftOut) {
  EXPECT_EQ(recovery_lines("t", "/a/50%/b"), "nexcage created t");
  EXPECT_EQ(recovery_lines("t", "/a/\tb"), "nexcage created t");
  EXPECT_EQ(recovery_lines("t", ""), "nexcage created t");
}

TEST(PctOwnership, ReadMarkNeedsBothMarkLines) {
  EXPECT_FALSE(read_mark("").has_value());
  EXPECT_FALSE(read_mark("nexcage container web").has_value());
  EXPECT_FALSE(read_mark("nexcage root /r\nnexcage container web").has_value());
  EXPECT_FALSE(read_mark("nexcage container \nnexcage root /r").has_value());
  auto old = read_mark("nexcage container web\nnexcage root /r\nOCI annotations:");
  ASSERT_TRUE(old.has_value()) << "containers made before the recovery lines";
  EXPECT_EQ(old->created, "");
}
