#include "nexcage/state/state_store.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <functional>

#include <gtest/gtest.h>

#include "../temp_dir.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/fs/lock.hpp"

using namespace nexcage::state;
namespace fsys = std::filesystem;

namespace {

class StateStoreTest : public ::testing::Test {
 protected:
  Record record(const std::string& id, Status status = Status::creating) {
    Record r;
    r.id = id;
    r.status = status;
    r.bundle = "/b";
    r.rootfs = "/b/rootfs";
    r.created = "2026-11-22T08:10:53.575759158Z";
    r.backend = "runc";
    r.backend_state = {{"root", "/run/nexcage/runc"}};
    return r;
  }

  nexcage::testing_support::TempDir tmp_{"nexcage-store"};
  fsys::path base_ = tmp_.path();
  fsys::path root_ = base_ / "root";
};

auto no_stale = [](const Record&) { FAIL() << "unexpected stale record"; };

void set_age(const fsys::path& p, std::chrono::seconds age) {
  fsys::last_write_time(p, fsys::file_time_type::clock::now() - age);
}

}  // namespace

TEST_F(StateStoreTest, ClaimCreatesPrivateRootAndRecord) {
  StateStore store(root_);
  auto c = store.claim(record("c1"), no_stale);
  struct stat st {};
  ASSERT_EQ(stat(root_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0700u);
  EXPECT_TRUE(fsys::exists(root_ / "c1" / "state.json"));
  EXPECT_TRUE(fsys::exists(root_ / "c1" / "lock"));
  auto loaded = store.peek("c1");
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->backend, "runc");
  EXPECT_EQ(loaded->status, Status::creating);
}

TEST_F(StateStoreTest, SecondClaimWhileHeldIsAlreadyExists) {
  StateStore store(root_);
  auto c = store.claim(record("c1"), no_stale);
  try {
    store.claim(record("c1"), no_stale);
    FAIL();
  } catch (const nexcage::Error& e) {
    EXPECT_STREQ(e.what(), "container with given ID already exists");
    EXPECT_EQ(e.kind(), nexcage::ErrorKind::exists);
  }
}

TEST_F(StateStoreTest, CompletedRecordBlocksClaimEvenUnlocked) {
  StateStore store(root_);
  {
    auto c = store.claim(record("c1"), no_stale);
    c.record().status = Status::created;
    store.save(c);
  }
  EXPECT_THROW(store.claim(record("c1"), no_stale), nexcage::Error);
}

TEST_F(StateStoreTest, AbandonedCreateIsCleanedAndReclaimed) {
  StateStore store(root_);
  { auto c = store.claim(record("c1"), no_stale); }  // lock released, status still "creating"
  auto peeked = store.peek("c1");
  ASSERT_TRUE(peeked);
  EXPECT_TRUE(store.is_abandoned(*peeked));
  int cleaned = 0;
  auto c = store.claim(record("c1"), [&](const Record& stale) {
    ++cleaned;
    EXPECT_EQ(stale.id, "c1");
  });
  EXPECT_EQ(cleaned, 1);
  EXPECT_FALSE(store.is_abandoned(c.record()));
}

TEST_F(StateStoreTest, OpenMissingIsDoesNotExist) {
  StateStore store(root_);
  try {
    store.open("nope", nexcage::fs::FileLock::Mode::shared);
    FAIL();
  } catch (const nexcage::Error& e) {
    EXPECT_STREQ(e.what(), "container does not exist");
    EXPECT_EQ(e.kind(), nexcage::ErrorKind::not_found);
  }
  EXPECT_FALSE(store.peek("nope"));
}

TEST_F(StateStoreTest, SaveReplacesAndRemoveDeletes) {
  StateStore store(root_);
  auto c = store.claim(record("c1"), no_stale);
  c.record().status = Status::running;
  c.record().pid = 42;
  store.save(c);
  EXPECT_EQ(store.peek("c1")->pid, 42);
  store.remove(std::move(c));
  EXPECT_FALSE(store.peek("c1"));
  EXPECT_TRUE(store.ids().empty());
}

TEST_F(StateStoreTest, IdsAreSortedSkipLeftoversAndDeleteNothing) {
  StateStore store(root_);
  auto b = store.claim(record("b"), no_stale);
  auto a = store.claim(record("a"), no_stale);
  fsys::create_directories(root_ / ".removed-123");          // left by an older nexcage
  fsys::create_directories(root_ / ".tmp" / "removed-456");  // left by a crashed delete
  set_age(root_ / ".tmp" / "removed-456", std::chrono::hours(1));
  EXPECT_EQ(store.ids(), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(fsys::exists(root_ / ".removed-123"));
  EXPECT_TRUE(fsys::exists(root_ / ".tmp" / "removed-456"));
}

TEST_F(StateStoreTest, ClaimRemovesOnlyOldUnlockedLeftoversOfItsOwn) {
  StateStore store(root_);
  auto a = store.claim(record("a"), no_stale);
  auto tmp = root_ / ".tmp";
  for (const char* name :
       {"removed-old", "claim-old", "claim-young", "claim-locked", "someone-elses"})
    fsys::create_directories(tmp / name);
  for (const char* name : {"removed-old", "claim-old", "claim-locked", "someone-elses"})
    set_age(tmp / name, std::chrono::hours(1));
  auto held = nexcage::fs::FileLock::acquire(tmp / "claim-locked" / "lock",
                                             nexcage::fs::FileLock::Mode::exclusive);
  set_age(tmp / "claim-locked", std::chrono::hours(1));
  auto b = store.claim(record("b"), no_stale);
  EXPECT_FALSE(fsys::exists(tmp / "removed-old"));
  EXPECT_FALSE(fsys::exists(tmp / "claim-old"));
  EXPECT_TRUE(fsys::exists(tmp / "claim-young"));
  EXPECT_TRUE(fsys::exists(tmp / "claim-locked"));
  EXPECT_TRUE(fsys::exists(tmp / "someone-elses"));
}

TEST_F(StateStoreTest, ReadingCommandsChangeNothingInAnUnmarkedRoot) {
  // A root made by a nexcage before the marker: readable as it is, and left as it is.
  fsys::create_directories(root_ / "c1");
  ::chmod(root_.c_str(), 0711);
  std::ofstream(root_ / "c1" / "lock");
  std::ofstream(root_ / "c1" / "state.json")
      << nexcage::state::to_json(record("c1", Status::created)).dump();
  StateStore store(root_);
  EXPECT_EQ(store.ids(), (std::vector<std::string>{"c1"}));
  EXPECT_EQ(store.peek("c1")->status, Status::created);
  store.open("c1", nexcage::fs::FileLock::Mode::shared);
  EXPECT_FALSE(fsys::exists(root_ / nexcage::state::root_marker));
  struct stat st {};
  ASSERT_EQ(stat(root_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0711u);
  // The first write marks it.
  auto c2 = store.claim(record("c2"), no_stale);
  EXPECT_TRUE(fsys::exists(root_ / nexcage::state::root_marker));
}

TEST_F(StateStoreTest, ForeignRootIsRefusedUntouched) {
  fsys::create_directories(root_);
  ::chmod(root_.c_str(), 01777);
  std::ofstream(root_ / "somebodys-file") << "x";
  fsys::create_directories(root_ / ".removed-1");
  StateStore store(root_);
  for (auto& attempt : std::vector<std::function<void()>>{
           [&] { store.ids(); }, [&] { store.peek("c1"); },
           [&] { store.open("c1", nexcage::fs::FileLock::Mode::shared); },
           [&] { store.claim(record("c1"), no_stale); }}) {
    try {
      attempt();
      ADD_FAILURE() << "a foreign root was used";
    } catch (const nexcage::Error& e) {
      EXPECT_NE(std::string(e.what()).find("is not nexcage's"), std::string::npos) << e.what();
    }
  }
  struct stat st {};
  ASSERT_EQ(stat(root_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 01777u);
  EXPECT_TRUE(fsys::exists(root_ / ".removed-1"));
  EXPECT_FALSE(fsys::exists(root_ / "c1"));
  EXPECT_FALSE(fsys::exists(root_ / nexcage::state::root_marker));
}

TEST_F(StateStoreTest, RefusesSymlinkedRecord) {
  StateStore store(root_);
  { auto c = store.claim(record("c1"), no_stale); }
  std::ofstream(base_ / "evil.json") << "{}";
  fsys::remove(root_ / "c1" / "state.json");
  fsys::create_symlink(base_ / "evil.json", root_ / "c1" / "state.json");
  try {
    store.peek("c1");
    FAIL();
  } catch (const nexcage::Error& e) {
    EXPECT_NE(std::string(e.what()).find("is a symlink"), std::string::npos) << e.what();
  }
}

TEST_F(StateStoreTest, RefusesMalformedAndOversizedRecords) {
  StateStore store(root_);
  { auto c = store.claim(record("c1"), no_stale); }
  std::ofstream(root_ / "c1" / "state.json", std::ios::trunc) << "{\"format\":1,";
  EXPECT_THROW(store.peek("c1"), nexcage::Error);
  std::ofstream(root_ / "c1" / "state.json", std::ios::trunc)
      << std::string(max_record_bytes + 1, ' ');
  try {
    store.peek("c1");
    FAIL();
  } catch (const nexcage::Error& e) {
    EXPECT_NE(std::string(e.what()).find("is larger than"), std::string::npos) << e.what();
  }
}

TEST_F(StateStoreTest, RejectsInvalidIds) {
  StateStore store(root_);
  for (const char* id : {"", ".hidden", "a/b", "..", "a b", "ä"}) {
    EXPECT_THROW(store.claim(record(id), no_stale), nexcage::Error) << id;
  }
}

TEST(Record, RoundTripsAndRejectsWrongTypes) {
  Record r;
  r.id = "c1";
  r.status = Status::paused;
  r.pid = 7;
  r.init_start_time = 123456789012ULL;
  r.bundle = "/b";
  r.annotations = {{"k", "v"}};
  r.backend = "crun";
  auto back = record_from_json(to_json(r));
  EXPECT_EQ(back.id, "c1");
  EXPECT_EQ(back.status, Status::paused);
  EXPECT_EQ(back.init_start_time, 123456789012ULL);
  EXPECT_EQ(back.annotations.at("k"), "v");

  auto doc = to_json(r);
  doc["pid"] = "7";
  EXPECT_THROW(record_from_json(doc), nexcage::Error);
  doc = to_json(r);
  doc["status"] = "dancing";
  EXPECT_THROW(record_from_json(doc), nexcage::Error);
  doc = to_json(r);
  doc["id"] = "../etc";
  EXPECT_THROW(record_from_json(doc), nexcage::Error);
  doc = to_json(r);
  doc["format"] = 2;
  EXPECT_THROW(record_from_json(doc), nexcage::Error);
  doc = to_json(r);
  doc.erase("backend");
  EXPECT_THROW(record_from_json(doc), nexcage::Error);
}

TEST(Record, AHandoverRoundTripsAndIsCheckedLikeAPid) {
  Record r;
  r.id = "c1";
  r.backend = "crun";
  EXPECT_FALSE(record_from_json(to_json(r)).handover);
  EXPECT_FALSE(to_json(r).contains("handover"));
  r.handover = Handover{4242, 987654321ULL};
  auto back = record_from_json(to_json(r));
  ASSERT_TRUE(back.handover);
  EXPECT_EQ(back.handover->pid, 4242);
  EXPECT_EQ(back.handover->start_time, 987654321ULL);
  EXPECT_EQ(back.handover->command, Handover::Command::run);
  EXPECT_EQ(to_json(r)["handover"]["command"], "run");
  // Records of versions that handed over only `run` name no command.
  auto older = to_json(r);
  older["handover"].erase("command");
  EXPECT_EQ(record_from_json(older).handover->command, Handover::Command::run);

  r.handover->command = Handover::Command::create;
  r.handover->pid_file = "/run/containerd/c1/init.pid";
  back = record_from_json(to_json(r));
  EXPECT_EQ(back.handover->command, Handover::Command::create);
  EXPECT_EQ(back.handover->pid_file, "/run/containerd/c1/init.pid");
  r.handover->pid_file.clear();
  r.handover->command = Handover::Command::remove;
  EXPECT_EQ(to_json(r)["handover"]["command"], "delete");
  EXPECT_EQ(record_from_json(to_json(r)).handover->command, Handover::Command::remove);

  for (auto bad :
       {nlohmann::json{{"pid", 5}, {"start_time", 1}, {"command", "start"}},
        nlohmann::json{{"pid", 5}, {"start_time", 1}, {"command", 1}},
        nlohmann::json{{"pid", 5},
                       {"start_time", 1},
                       {"command", "create"},
                       {"pid_file", "relative/init.pid"}},
        nlohmann::json{{"pid", 5}, {"start_time", 1}, {"command", "create"}, {"pid_file", 7}},
        nlohmann::json{
            {"pid", 5}, {"start_time", 1}, {"command", "run"}, {"pid_file", "/abs/init.pid"}},
        nlohmann::json("x"), nlohmann::json{{"pid", 0}, {"start_time", 1}},
        nlohmann::json{{"pid", -1}, {"start_time", 1}},
        nlohmann::json{{"pid", 5000000}, {"start_time", 1}},
        nlohmann::json{{"pid", 5}, {"start_time", -1}}, nlohmann::json{{"pid", 5}}}) {
    auto doc = to_json(r);
    doc["handover"] = bad;
    EXPECT_THROW(record_from_json(doc), nexcage::Error) << bad.dump();
  }
}
