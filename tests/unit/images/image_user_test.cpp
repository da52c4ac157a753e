// An image's User through its own /etc/passwd and /etc/group, never the host's.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "../temp_dir.hpp"
#include "error_text.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/images/image_user.hpp"

using namespace nexcage::images;
using nexcage::testing_support::error_of;
using nexcage::testing_support::TempDir;
namespace fsys = std::filesystem;

namespace {

void write(const fsys::path& file, const std::string& text) {
  fsys::create_directories(file.parent_path());
  std::ofstream(file) << text;
}

struct Rootfs {
  TempDir dir{"nexcage-user"};
  Rootfs() {
    write(dir.path() / "etc/passwd",
          "root:x:0:0:root:/root:/bin/sh\n"
          "# a comment\n"
          "app:x:1000:1000::/home/app:/bin/sh\n"
          "nohome:x:1001:1001::\n");
    write(dir.path() / "etc/group",
          "root:x:0:\n"
          "app:x:1000:\n"
          "extra:x:2000:app,other\n"
          "more:x:2001:other,app\n"
          "self:x:1000:app\n");
  }
  const fsys::path& path() const { return dir.path(); }
};

}  // namespace

TEST(ImageUser, EmptyIsRootWithRootsHome) {
  Rootfs r;
  auto u = resolve_image_user(r.path(), "");
  EXPECT_EQ(u.uid, 0u);
  EXPECT_EQ(u.gid, 0u);
  EXPECT_EQ(u.home, "/root");
}

TEST(ImageUser, ANameGetsItsIdsHomeAndGroups) {
  Rootfs r;
  auto u = resolve_image_user(r.path(), "app");
  EXPECT_EQ(u.uid, 1000u);
  EXPECT_EQ(u.gid, 1000u);
  EXPECT_EQ(u.additional_gids, (std::vector<uint32_t>{2000, 2001}));
  EXPECT_EQ(u.home, "/home/app");
  // The same user by number.
  EXPECT_EQ(resolve_image_user(r.path(), "1000").additional_gids.size(), 2u);
  EXPECT_EQ(resolve_image_user(r.path(), "nohome").home, "/");
}

TEST(ImageUser, AGroupReplacesTheUsersAndItsMemberships) {
  Rootfs r;
  auto u = resolve_image_user(r.path(), "app:extra");
  EXPECT_EQ(u.gid, 2000u);
  EXPECT_TRUE(u.additional_gids.empty());
  EXPECT_EQ(resolve_image_user(r.path(), "app:4242").gid, 4242u);
  auto n = resolve_image_user(r.path(), "4242:4343");
  EXPECT_EQ(n.uid, 4242u);
  EXPECT_EQ(n.gid, 4343u);
  EXPECT_EQ(n.home, "/");
}

TEST(ImageUser, MalformedLinesAreSkipped) {
  auto u = resolve_user_in("short\napp:x:notanumber:1::/x:\napp:x:7:8::/home:/bin/sh\n",
                           "g:x\nextra:x:9:app\n", "app");
  EXPECT_EQ(u.uid, 7u);
  EXPECT_EQ(u.gid, 8u);
  EXPECT_EQ(u.additional_gids, std::vector<uint32_t>{9});
  // A uid beyond 32 bits is no number, so a name, and names need a passwd entry.
  EXPECT_THROW(resolve_user_in("", "", "99999999999999"), nexcage::Error);
}

TEST(ImageUser, AnUnlistedNumberRunsWithGroupZero) {
  Rootfs r;
  auto u = resolve_image_user(r.path(), "4242");
  EXPECT_EQ(u.uid, 4242u);
  EXPECT_EQ(u.gid, 0u);
}

TEST(ImageUser, MissingNamesAreRefused) {
  Rootfs r;
  EXPECT_EQ(error_of([&] { resolve_image_user(r.path(), "nobody"); }),
            "the image's user \"nobody\" is not in its /etc/passwd");
  EXPECT_EQ(error_of([&] { resolve_image_user(r.path(), "app:nogroup"); }),
            "the image's group \"nogroup\" is not in its /etc/group");
  EXPECT_EQ(error_of([&] { resolve_image_user(r.path(), ":app"); }),
            "the image's User \":app\" names no user");
  TempDir empty("nexcage-user-empty");
  EXPECT_EQ(error_of([&] { resolve_image_user(empty.path(), "app"); }),
            "the image's user \"app\" is not in its /etc/passwd");
}

// umoci 0.4.7 follows an absolute symlink out of the rootfs to the host's file; nexcage resolves
// it inside the rootfs, where it names nothing (or the image's own file).
TEST(ImageUser, SymlinksStayInsideTheRootfs) {
  TempDir host("nexcage-user-host");
  write(host.path() / "passwd", "spy:x:4321:4321::/hosthome:/bin/sh\n");
  TempDir image("nexcage-user-image");
  fsys::create_directories(image.path() / "etc");
  fsys::create_symlink(host.path() / "passwd", image.path() / "etc/passwd");
  EXPECT_EQ(error_of([&] { resolve_image_user(image.path(), "spy"); }),
            "the image's user \"spy\" is not in its /etc/passwd");
  // A relative escape ends at the rootfs too.
  fsys::remove(image.path() / "etc/passwd");
  fsys::create_symlink("../../../../../../.." + (host.path() / "passwd").string(),
                       image.path() / "etc/passwd");
  EXPECT_EQ(error_of([&] { resolve_image_user(image.path(), "spy"); }),
            "the image's user \"spy\" is not in its /etc/passwd");
  // An absolute symlink to the image's own file is followed inside the image.
  write(image.path() / "lib/passwd", "own:x:7:7::/own:/bin/sh\n");
  fsys::remove(image.path() / "etc/passwd");
  fsys::create_symlink("/lib/passwd", image.path() / "etc/passwd");
  EXPECT_EQ(resolve_image_user(image.path(), "own").home, "/own");
}
