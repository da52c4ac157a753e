// sha256_hex against the FIPS 180-2 vectors, and what digest_tree() does and does not notice.
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <fcntl.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include <gtest/gtest.h>

#include "../../temp_dir.hpp"
#include "nexcage/backend/pct/tree_digest.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/core/sha256.hpp"

using namespace nexcage::backend::pct;
using nexcage::sha256_hex;
using nexcage::testing_support::TempDir;
namespace fsys = std::filesystem;

namespace {

void write_file(const fsys::path& file, const std::string& content, mode_t mode = 0644) {
  std::ofstream(file, std::ios::binary) << content;
  ASSERT_EQ(::chmod(file.c_str(), mode), 0);
}

// Sets atime and mtime of `p` (not following symlinks) to `seconds`.
void set_times(const fsys::path& p, time_t seconds) {
  struct timespec ts[2] = {{seconds, 0}, {seconds, 0}};
  ASSERT_EQ(::utimensat(AT_FDCWD, p.c_str(), ts, AT_SYMLINK_NOFOLLOW), 0) << p;
}

// A small rootfs: directories, files of several sizes and modes, an empty file, a symlink.
void build_tree(const fsys::path& root, time_t when) {
  fsys::create_directories(root / "bin");
  fsys::create_directories(root / "etc" / "conf.d");
  fsys::create_directories(root / "empty");
  write_file(root / "bin" / "app", std::string(300000, 'x') + "tail", 0755);
  write_file(root / "etc" / "hostname", "box\n");
  write_file(root / "etc" / "conf.d" / "a.conf", "a=1\n", 0600);
  write_file(root / "etc" / "empty-file", "");
  fsys::create_symlink("../bin/app", root / "etc" / "link");
  ASSERT_EQ(::chmod(root.c_str(), 0755), 0);
  for (const auto& p :
       {root / "bin" / "app", root / "etc" / "hostname", root / "etc" / "conf.d" / "a.conf",
        root / "etc" / "empty-file", root / "etc" / "link", root / "etc" / "conf.d", root / "etc",
        root / "bin", root / "empty", root})
    set_times(p, when);
}

constexpr uint64_t tree_bytes = 300004 + 4 + 4;  // app + hostname + a.conf

class PctTreeDigest : public ::testing::Test {
 protected:
  TempDir tmp{"pct-digest"};
  fsys::path a = tmp.path() / "a";
  fsys::path b = tmp.path() / "b";

  void SetUp() override {
    build_tree(a, 1000000000);
    build_tree(b, 1700000000);
  }
};

}  // namespace

TEST(PctSha256, FipsVectors) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(sha256_hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(PctSha256, BinaryDataWithNulBytes) {
  // Distinct from the same text cut at the NUL: the whole std::string is hashed.
  EXPECT_NE(sha256_hex(std::string("a\0b", 3)), sha256_hex("a"));
  EXPECT_EQ(sha256_hex(std::string("a\0b", 3)).size(), 64u);
}

TEST_F(PctTreeDigest, IdenticalTreesWithDifferentTimesAreEqual) {
  auto da = digest_tree(a), db = digest_tree(b);
  EXPECT_EQ(da.hex, db.hex);
  EXPECT_EQ(da.hex.size(), 64u);
  EXPECT_EQ(da.hex.find_first_not_of("0123456789abcdef"), std::string::npos) << da.hex;
  EXPECT_EQ(da.content_bytes, tree_bytes);
  EXPECT_EQ(db.content_bytes, tree_bytes);
  // Deterministic for the same tree.
  EXPECT_EQ(digest_tree(a).hex, da.hex);
}

TEST_F(PctTreeDigest, FileContentChangeOfTheSameSize) {
  auto before = digest_tree(b).hex;
  write_file(b / "etc" / "hostname", "bo+\n");
  auto after = digest_tree(b);
  EXPECT_NE(after.hex, before);
  EXPECT_NE(after.hex, digest_tree(a).hex);
  EXPECT_EQ(after.content_bytes, tree_bytes);
}

TEST_F(PctTreeDigest, FileSizeChangeCountsInContentBytes) {
  write_file(b / "etc" / "hostname", "longer-name\n");
  auto d = digest_tree(b);
  EXPECT_NE(d.hex, digest_tree(a).hex);
  EXPECT_EQ(d.content_bytes, tree_bytes - 4 + 12);
}

TEST_F(PctTreeDigest, ModeChange) {
  ASSERT_EQ(::chmod((b / "etc" / "hostname").c_str(), 0640), 0);
  EXPECT_NE(digest_tree(b).hex, digest_tree(a).hex);
  ASSERT_EQ(::chmod((b / "etc" / "hostname").c_str(), 0644), 0);
  EXPECT_EQ(digest_tree(b).hex, digest_tree(a).hex);
}

TEST_F(PctTreeDigest, DirectoryModeChange) {
  ASSERT_EQ(::chmod((b / "empty").c_str(), 0700), 0);
  EXPECT_NE(digest_tree(b).hex, digest_tree(a).hex);
}

TEST_F(PctTreeDigest, RootModeChange) {
  ASSERT_EQ(::chmod(b.c_str(), 0700), 0);
  EXPECT_NE(digest_tree(b).hex, digest_tree(a).hex);
}

TEST_F(PctTreeDigest, SymlinkTargetChange) {
  fsys::remove(b / "etc" / "link");
  fsys::create_symlink("../bin/apq", b / "etc" / "link");  // same length, other target
  EXPECT_NE(digest_tree(b).hex, digest_tree(a).hex);
}

TEST_F(PctTreeDigest, SymlinkIsNotFollowed) {
  // A symlink to a file and a copy of that file differ.
  fsys::remove(b / "etc" / "link");
  write_file(b / "etc" / "link", std::string(300000, 'x') + "tail", 0755);
  EXPECT_NE(digest_tree(b).hex, digest_tree(a).hex);
}

TEST_F(PctTreeDigest, FileNameChange) {
  fsys::rename(b / "etc" / "hostname", b / "etc" / "hostnamf");
  auto d = digest_tree(b);
  EXPECT_NE(d.hex, digest_tree(a).hex);
  EXPECT_EQ(d.content_bytes, tree_bytes);
}

TEST_F(PctTreeDigest, ContentMovedBetweenFilesChangesTheDigest) {
  // Same total bytes, split differently: the digest frames each file by its size.
  write_file(b / "etc" / "hostname", "box\na=1");
  write_file(b / "etc" / "conf.d" / "a.conf", "\n", 0600);
  auto d = digest_tree(b);
  EXPECT_EQ(d.content_bytes, tree_bytes);
  EXPECT_NE(d.hex, digest_tree(a).hex);
}

TEST_F(PctTreeDigest, HardLinkDiffersFromACopy) {
  // tar packs a second name as a link, so a copy and a hard link are different templates.
  fsys::copy_file(a / "etc" / "hostname", a / "etc" / "hostname2");
  ASSERT_EQ(::link((b / "etc" / "hostname").c_str(), (b / "etc" / "hostname2").c_str()), 0);
  auto copy = digest_tree(a), linked = digest_tree(b);
  EXPECT_NE(copy.hex, linked.hex);
  EXPECT_EQ(linked.content_bytes, tree_bytes) << "a linked file's content is hashed once";
}

TEST_F(PctTreeDigest, AddedEmptyFileOrDirectory) {
  write_file(b / "new", "");
  auto with_file = digest_tree(b);
  EXPECT_NE(with_file.hex, digest_tree(a).hex);
  EXPECT_EQ(with_file.content_bytes, tree_bytes);
  fsys::remove(b / "new");
  EXPECT_EQ(digest_tree(b).hex, digest_tree(a).hex);
  fsys::create_directory(b / "new");
  EXPECT_NE(digest_tree(b).hex, digest_tree(a).hex);
}

TEST_F(PctTreeDigest, ExtendedAttribute) {
  auto file = b / "etc" / "hostname";
  if (::setxattr(file.c_str(), "user.test", "v1", 2, 0) != 0) {
    GTEST_SKIP() << "user xattrs not supported here: " << std::strerror(errno);
  }
  auto with_v1 = digest_tree(b).hex;
  EXPECT_NE(with_v1, digest_tree(a).hex);
  ASSERT_EQ(::setxattr(file.c_str(), "user.test", "v2", 2, 0), 0);
  auto with_v2 = digest_tree(b).hex;
  EXPECT_NE(with_v2, with_v1);
  ASSERT_EQ(::removexattr(file.c_str(), "user.test"), 0);
  EXPECT_EQ(digest_tree(b).hex, digest_tree(a).hex);
}

TEST(PctTreeDigestEmpty, EmptyDirectory) {
  TempDir tmp("pct-digest");
  fsys::create_directory(tmp.path() / "x");
  fsys::create_directory(tmp.path() / "y");
  ::chmod((tmp.path() / "x").c_str(), 0755);
  ::chmod((tmp.path() / "y").c_str(), 0755);
  auto x = digest_tree(tmp.path() / "x");
  EXPECT_EQ(x.content_bytes, 0u);
  EXPECT_EQ(x.hex, digest_tree(tmp.path() / "y").hex);
  // The digest is not the hash of nothing: the version header and the root entry are hashed.
  EXPECT_NE(x.hex, sha256_hex(""));
}

TEST(PctTreeDigestEmpty, MissingRootThrowsNamingIt) {
  TempDir tmp("pct-digest");
  auto missing = tmp.path() / "missing";
  try {
    digest_tree(missing);
    ADD_FAILURE() << "no error";
  } catch (const nexcage::Error& e) {
    EXPECT_EQ(e.kind(), nexcage::ErrorKind::system);
    EXPECT_NE(std::string(e.what()).find(missing.string()), std::string::npos) << e.what();
  }
}
