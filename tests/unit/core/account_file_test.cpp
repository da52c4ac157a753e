#include "nexcage/core/account_file.hpp"

#include <gtest/gtest.h>

using nexcage::parse_account_file;
using nexcage::user_name_of;

TEST(AccountFile, SplitsLinesIntoFieldsAndSkipsCommentsAndBlankLines) {
  auto entries =
      parse_account_file("# comment\nroot:x:0:0:root:/root:/bin/bash\n\nnobody::65534\n");
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0],
            (nexcage::AccountEntry{"root", "x", "0", "0", "root", "/root", "/bin/bash"}));
  EXPECT_EQ(entries[1], (nexcage::AccountEntry{"nobody", "", "65534"}));
  EXPECT_TRUE(parse_account_file("").empty());
  // A last line without a newline counts; an empty field at the end is kept.
  EXPECT_EQ(parse_account_file("a:b:")[0], (nexcage::AccountEntry{"a", "b", ""}));
}

TEST(AccountFile, UserNameOfTheFirstWellFormedEntryWithTheUid) {
  auto passwd = parse_account_file(
      "short:x:1000\n"          // too few fields
      "badgid:x:1000:abc:::\n"  // gid not a number
      "alice:x:1000:1000::/home/alice:/bin/sh\n"
      "alias:x:1000:1000::/:/bin/sh\n"
      "bob:x:+1001:1001::/:/bin/sh\n");  // a uid with a sign is not a number
  EXPECT_EQ(user_name_of(passwd, 1000), "alice");
  EXPECT_EQ(user_name_of(passwd, 1001), std::nullopt);
  EXPECT_EQ(user_name_of(passwd, 0), std::nullopt);
  EXPECT_EQ(user_name_of({}, 0), std::nullopt);
}
