#include "nexcage/state/root_index.hpp"

#include <unistd.h>

#include <fstream>

#include <gtest/gtest.h>

#include "../temp_dir.hpp"
#include "nexcage/state/state_store.hpp"

using namespace nexcage::state;
namespace fsys = std::filesystem;

namespace {

class RootIndexTest : public ::testing::Test {
 protected:
  Record record(const std::string& id) {
    Record r;
    r.id = id;
    r.status = Status::creating;
    r.bundle = "/b";
    r.rootfs = "/b/rootfs";
    r.created = "2026-11-29T08:10:53.575759158Z";
    r.backend = "runc";
    r.backend_state = {{"root", "/x/.backends/runc"}};
    return r;
  }
  static void ignore_stale(const Record&) {}

  nexcage::testing_support::TempDir tmp_{"nexcage-index"};
  fsys::path default_root_ = tmp_.path() / "default";
  fsys::path other_root_ = tmp_.path() / "other";
};

}  // namespace

TEST_F(RootIndexTest, ClaimUnderAnotherRootIsFoundFromTheDefaultRoot) {
  StateStore store(other_root_, RootIndex(default_root_));
  auto c = store.claim(record("c1"), ignore_stale);
  auto found = RootIndex(default_root_).lookup("c1");
  ASSERT_TRUE(found);
  EXPECT_EQ(*found, other_root_);
  EXPECT_FALSE(RootIndex(default_root_).lookup("c2"));
}

TEST_F(RootIndexTest, RemovalForgetsTheEntry) {
  StateStore store(other_root_, RootIndex(default_root_));
  auto c = store.claim(record("c1"), ignore_stale);
  store.remove(std::move(c));
  EXPECT_FALSE(RootIndex(default_root_).lookup("c1"));
  EXPECT_FALSE(fsys::exists(default_root_ / ".roots" / "c1"));
}

TEST_F(RootIndexTest, ClaimUnderTheDefaultRootWritesNoEntry) {
  StateStore store(default_root_, RootIndex(default_root_));
  auto c = store.claim(record("c1"), ignore_stale);
  EXPECT_FALSE(fsys::exists(default_root_ / ".roots"));
}

TEST_F(RootIndexTest, ForgetLeavesAnEntryThatNamesAnotherRoot) {
  RootIndex index(default_root_);
  index.note("c1", other_root_);
  index.forget("c1", tmp_.path() / "third");
  EXPECT_TRUE(fsys::exists(default_root_ / ".roots" / "c1"));
}

TEST_F(RootIndexTest, DanglingMalformedOrSymlinkedEntriesAreIgnored) {
  RootIndex index(default_root_);
  index.note("gone", other_root_);  // no record under other_root_
  EXPECT_FALSE(index.lookup("gone"));

  fsys::create_directories(other_root_ / "rel");
  std::ofstream(other_root_ / "rel" / "state.json") << "{}";
  std::ofstream(default_root_ / ".roots" / "rel") << "relative/path";
  EXPECT_FALSE(index.lookup("rel"));

  fsys::create_directories(other_root_ / "sym");
  std::ofstream(other_root_ / "sym" / "state.json") << "{}";
  std::ofstream(tmp_.path() / "target") << other_root_.string();
  ASSERT_EQ(::symlink((tmp_.path() / "target").c_str(), (default_root_ / ".roots" / "sym").c_str()), 0);
  EXPECT_FALSE(index.lookup("sym"));

  EXPECT_FALSE(index.lookup("../escape"));
}
