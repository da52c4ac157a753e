#include "nexcage/state/state_root.hpp"

#include <sys/stat.h>

#include <fstream>

#include <gtest/gtest.h>

#include "../temp_dir.hpp"
#include "nexcage/core/error.hpp"

using namespace nexcage::state;
namespace fsys = std::filesystem;

namespace {

mode_t mode_of(const fsys::path& p) {
  struct stat st {};
  EXPECT_EQ(::lstat(p.c_str(), &st), 0) << p;
  return st.st_mode & 07777;
}

std::string refusal(const fsys::path& root) {
  try {
    prepare_root(root);
  } catch (const nexcage::Error& e) {
    return e.what();
  }
  return "";
}

class StateRootTest : public ::testing::Test {
 protected:
  nexcage::testing_support::TempDir tmp_{"nexcage-root"};
  fsys::path root_ = tmp_.path() / "a" / "root";
};

}  // namespace

TEST_F(StateRootTest, MissingRootIsMadePrivateAndMarked) {
  EXPECT_EQ(inspect_root(root_), RootKind::missing);
  prepare_root(root_);
  EXPECT_EQ(mode_of(root_), 0700u);
  EXPECT_EQ(inspect_root(root_), RootKind::marked);
  prepare_root(root_);  // again: nothing to do
  EXPECT_EQ(inspect_root(root_), RootKind::marked);
}

TEST_F(StateRootTest, EmptyDirectoryIsTakenOverWithoutChangingItsMode) {
  fsys::create_directories(root_);
  ::chmod(root_.c_str(), 0711);
  EXPECT_EQ(inspect_root(root_), RootKind::empty);
  prepare_root(root_);
  EXPECT_EQ(inspect_root(root_), RootKind::marked);
  EXPECT_EQ(mode_of(root_), 0711u);
}

TEST_F(StateRootTest, SharedTmpLikeDirectoryIsRefusedUntouched) {
  fsys::create_directories(root_);
  ::chmod(root_.c_str(), 01777);
  EXPECT_NE(refusal(root_).find("other users can write to it (mode 1777)"), std::string::npos);
  EXPECT_EQ(mode_of(root_), 01777u);
  EXPECT_FALSE(fsys::exists(root_ / root_marker));
}

TEST_F(StateRootTest, DirectoryWithSomeoneElsesFilesIsRefusedUntouched) {
  fsys::create_directories(root_ / "etc");
  std::ofstream(root_ / "passwd") << "root:x:0:0::/root:/bin/sh\n";
  ::chmod(root_.c_str(), 0755);
  auto why = refusal(root_);
  EXPECT_NE(why.find("is not nexcage's"), std::string::npos) << why;
  EXPECT_THROW(inspect_root(root_), nexcage::Error);
  EXPECT_EQ(mode_of(root_), 0755u);
  EXPECT_FALSE(fsys::exists(root_ / root_marker));
}

TEST_F(StateRootTest, RuncsOwnRootIsNotMistakenForNexcages) {
  // runc keeps <root>/<id>/state.json without a lock file.
  fsys::create_directories(root_ / "c1");
  ::chmod(root_.c_str(), 0700);
  std::ofstream(root_ / "c1" / "state.json") << "{}";
  EXPECT_THROW(inspect_root(root_), nexcage::Error);
}

TEST_F(StateRootTest, OlderNexcageLayoutIsRecognisedAndMarkedOnlyWhenWriting) {
  fsys::create_directories(root_ / "c1");
  fsys::create_directories(root_ / ".backends" / "runc");
  fsys::create_directories(root_ / ".roots");
  fsys::create_directories(root_ / ".claim-0123");
  ::chmod(root_.c_str(), 0700);
  std::ofstream(root_ / "c1" / "lock");
  EXPECT_EQ(inspect_root(root_), RootKind::legacy);
  EXPECT_FALSE(fsys::exists(root_ / root_marker));
  prepare_root(root_);
  EXPECT_EQ(inspect_root(root_), RootKind::marked);
}

// Two first creates make the same new root at once: one sees the other's marker still being
// written (its temporary file) and must take the root as nexcage's, not refuse it.
TEST_F(StateRootTest, AMarkerBeingWrittenIsNexcages) {
  fsys::create_directories(root_);
  ::chmod(root_.c_str(), 0700);
  std::ofstream(root_ / (std::string(".") + root_marker + ".Ab12Cd"));
  EXPECT_EQ(inspect_root(root_), RootKind::legacy);
  prepare_root(root_);
  EXPECT_EQ(inspect_root(root_), RootKind::marked);
  // A directory of that name is not what write_atomic makes.
  nexcage::testing_support::TempDir other("nexcage-root-b");
  auto odd = other.path() / "root";
  fsys::create_directories(odd / (std::string(".") + root_marker + ".dir"));
  ::chmod(odd.c_str(), 0700);
  EXPECT_NE(refusal(odd), "");
}

TEST_F(StateRootTest, SymlinkAndFileAreRefused) {
  fsys::create_directories(tmp_.path() / "real");
  fsys::create_directories(root_.parent_path());
  fsys::create_directory_symlink(tmp_.path() / "real", root_);
  EXPECT_NE(refusal(root_).find("symlink"), std::string::npos);
  auto file = tmp_.path() / "file";
  std::ofstream(file) << "x";
  EXPECT_NE(refusal(file).find("not a directory"), std::string::npos);
}
