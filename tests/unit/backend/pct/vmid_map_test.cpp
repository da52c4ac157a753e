// VmidMap: allocation order, skipping, exhaustion, persistence and refusal of a corrupt map file.
#include <sys/stat.h>

#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../../temp_dir.hpp"
#include "nexcage/backend/pct/vmid_map.hpp"
#include "nexcage/core/error.hpp"

using namespace nexcage::backend::pct;
using nexcage::Error;
using nexcage::ErrorKind;
using nexcage::testing_support::TempDir;

namespace {

// An is_free answer that records every VMID it was asked about.
struct FreeOracle {
  std::set<uint32_t> busy;  // VMIDs Proxmox says are taken
  std::vector<uint32_t> asked;

  std::function<bool(uint32_t)> fn() {
    return [this](uint32_t vmid) {
      asked.push_back(vmid);
      return busy.count(vmid) == 0;
    };
  }
};

void write_file(const std::filesystem::path& file, const std::string& text) {
  std::ofstream(file) << text;
}

// The message of the Error thrown by `f`, with its kind checked.
template <typename F>
std::string error_of(F&& f, ErrorKind kind) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), kind) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no Error thrown";
  return {};
}

}  // namespace

TEST(PctVmidMap, EmptyDirectoryHasNoEntries) {
  TempDir tmp("pct-vmid");
  VmidMap map(tmp.path() / "pct");
  EXPECT_EQ(map.find("a"), std::nullopt);
  EXPECT_TRUE(map.entries().empty());
}

TEST(PctVmidMap, TrustsFirstChoiceInRangeWithoutAsking) {
  TempDir tmp("pct-vmid");
  VmidMap map(tmp.path());
  FreeOracle oracle;
  EXPECT_EQ(map.allocate("a", 100, 1000, 123, oracle.fn(), {}), 123u);
  EXPECT_TRUE(oracle.asked.empty());
  EXPECT_EQ(map.find("a"), std::optional<uint32_t>(123));
}

TEST(PctVmidMap, SkipsVmidsOfOtherIdsAndAsksAboutTheRest) {
  TempDir tmp("pct-vmid");
  VmidMap map(tmp.path());
  FreeOracle none;
  ASSERT_EQ(map.allocate("a", 100, 1000, 200, none.fn(), {}), 200u);
  ASSERT_EQ(map.allocate("b", 100, 1000, 201, none.fn(), {}), 201u);
  // Proxmox says 200 (a's VMID, not yet created) is next: 200 and 201 are skipped without asking,
  // 202 is asked about and busy, 203 is asked about and free.
  FreeOracle oracle;
  oracle.busy = {202};
  EXPECT_EQ(map.allocate("c", 100, 1000, 200, oracle.fn(), {}), 203u);
  EXPECT_EQ(oracle.asked, (std::vector<uint32_t>{202, 203}));
  EXPECT_EQ(map.entries(), (std::map<std::string, uint32_t>{{"a", 200}, {"b", 201}, {"c", 203}}));
}

TEST(PctVmidMap, SkipsAvoidedVmids) {
  TempDir tmp("pct-vmid");
  VmidMap map(tmp.path());
  FreeOracle oracle;
  // pct create said 150 and 151 exist: first_choice 150 is not trusted, both are skipped unasked.
  EXPECT_EQ(map.allocate("a", 100, 1000, 150, oracle.fn(), {150, 151, 153}), 152u);
  EXPECT_EQ(oracle.asked, (std::vector<uint32_t>{152}));
  oracle.asked.clear();
  // 152 is now a's (skipped unasked for b), 153 is avoided, 154 is asked about.
  EXPECT_EQ(map.allocate("b", 100, 1000, 152, oracle.fn(), {153}), 154u);
  EXPECT_EQ(oracle.asked, (std::vector<uint32_t>{154}));
}

TEST(PctVmidMap, StartsAtLowerWhenFirstChoiceIsBelowTheRange) {
  TempDir tmp("pct-vmid");
  VmidMap map(tmp.path());
  FreeOracle oracle;
  oracle.busy = {5000};
  EXPECT_EQ(map.allocate("a", 5000, 6000, 101, oracle.fn(), {}), 5001u);
  EXPECT_EQ(oracle.asked, (std::vector<uint32_t>{5000, 5001}));
}

TEST(PctVmidMap, StartsAtLowerWhenFirstChoiceIsAboveTheRange) {
  // Proxmox's own next-id range may start above nexcage's.
  TempDir tmp("pct-vmid");
  VmidMap map(tmp.path());
  FreeOracle oracle;
  oracle.busy = {100};
  EXPECT_EQ(map.allocate("a", 100, 1000, 5000, oracle.fn(), {}), 101u);
  EXPECT_EQ(oracle.asked, (std::vector<uint32_t>{100, 101}));
}

TEST(PctVmidMap, ThrowsWhenTheRangeIsExhausted) {
  TempDir tmp("pct-vmid");
  VmidMap map(tmp.path());
  FreeOracle none;
  ASSERT_EQ(map.allocate("a", 300, 303, 300, none.fn(), {}), 300u);
  FreeOracle oracle;
  oracle.busy = {301};
  auto message =
      error_of([&] { map.allocate("b", 300, 303, 300, oracle.fn(), {302}); }, ErrorKind::backend);
  EXPECT_NE(message.find("no free VMID"), std::string::npos) << message;
  EXPECT_NE(message.find("[300, 303)"), std::string::npos) << message;
  EXPECT_EQ(oracle.asked, (std::vector<uint32_t>{301}));
  // Nothing was recorded for the failed allocation.
  EXPECT_EQ(map.find("b"), std::nullopt);
  EXPECT_EQ(map.entries(), (std::map<std::string, uint32_t>{{"a", 300}}));
}

TEST(PctVmidMap, ReallocatingReplacesTheEntry) {
  TempDir tmp("pct-vmid");
  VmidMap map(tmp.path());
  FreeOracle none;
  ASSERT_EQ(map.allocate("a", 100, 1000, 400, none.fn(), {}), 400u);
  // The id's own old VMID does not count as taken by someone else, but avoid still applies.
  EXPECT_EQ(map.allocate("a", 100, 1000, 400, none.fn(), {}), 400u);
  EXPECT_EQ(map.allocate("a", 100, 1000, 400, none.fn(), {400}), 401u);
  EXPECT_EQ(map.entries(), (std::map<std::string, uint32_t>{{"a", 401}}));
}

TEST(PctVmidMap, ReleaseDropsOnlyThatEntry) {
  TempDir tmp("pct-vmid");
  VmidMap map(tmp.path());
  FreeOracle none;
  map.allocate("a", 100, 1000, 100, none.fn(), {});
  map.allocate("b", 100, 1000, 101, none.fn(), {});
  map.release("a");
  EXPECT_EQ(map.find("a"), std::nullopt);
  EXPECT_EQ(map.find("b"), std::optional<uint32_t>(101));
  map.release("a");        // absent: nothing happens
  map.release("missing");  // never present
  EXPECT_EQ(map.entries(), (std::map<std::string, uint32_t>{{"b", 101}}));
  // A released VMID can be handed out again.
  FreeOracle oracle;
  EXPECT_EQ(map.allocate("c", 100, 1000, 100, oracle.fn(), {}), 100u);
}

TEST(PctVmidMap, PersistsAcrossObjects) {
  TempDir tmp("pct-vmid");
  auto dir = tmp.path() / "root" / "pct";
  {
    VmidMap map(dir);
    FreeOracle none;
    map.allocate("web-1", 100, 1000, 777, none.fn(), {});
    map.allocate("db_2", 100, 1000, 778, none.fn(), {});
  }
  VmidMap again(dir);
  EXPECT_EQ(again.entries(), (std::map<std::string, uint32_t>{{"db_2", 778}, {"web-1", 777}}));
  // The other object sees 777 as taken.
  FreeOracle oracle;
  EXPECT_EQ(again.allocate("x", 100, 1000, 777, oracle.fn(), {}), 779u);
  EXPECT_EQ(oracle.asked, (std::vector<uint32_t>{779}));
  // The map is private and the file holds exactly the entries.
  struct stat st {};
  ASSERT_EQ(::stat((dir / "vmids.json").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  ASSERT_EQ(::stat(dir.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0700u);
  std::ifstream in(dir / "vmids.json");
  auto doc = nlohmann::json::parse(in);
  EXPECT_EQ(doc, nlohmann::json::parse(R"({"db_2": 778, "web-1": 777, "x": 779})"));
}

TEST(PctVmidMap, ReadsAHandWrittenMap) {
  TempDir tmp("pct-vmid");
  write_file(tmp.path() / "vmids.json", R"({"a": 100, "b": 999999999})");
  VmidMap map(tmp.path());
  EXPECT_EQ(map.entries(), (std::map<std::string, uint32_t>{{"a", 100}, {"b", 999999999}}));
}

namespace {

void expect_corrupt(const std::string& content, const std::string& why) {
  TempDir tmp("pct-vmid");
  auto file = tmp.path() / "vmids.json";
  write_file(file, content);
  VmidMap map(tmp.path());
  for (int op = 0; op < 3; ++op) {
    auto message = error_of(
        [&] {
          if (op == 0) map.find("a");
          if (op == 1) map.entries();
          if (op == 2) map.allocate("a", 100, 1000, 100, [](uint32_t) { return true; }, {});
        },
        ErrorKind::invalid_input);
    EXPECT_EQ(message.rfind(file.string() + ": ", 0), 0u) << message;
    EXPECT_NE(message.find(why), std::string::npos) << message;
  }
  // A failed allocation left the file as it was.
  std::ifstream in(file);
  std::string now((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(now, content);
}

}  // namespace

TEST(PctVmidMap, CorruptFileNotAnObject) {
  expect_corrupt("[1, 2]", "not a JSON object");
  expect_corrupt("{not json", "invalid JSON at byte 3");
  expect_corrupt("", "invalid JSON at byte 1");
}

TEST(PctVmidMap, CorruptFileInvalidId) {
  expect_corrupt(R"({"bad id": 100})", "invalid container id \"bad id\"");
  expect_corrupt(R"({".hidden": 100})", "invalid container id \".hidden\"");
}

TEST(PctVmidMap, CorruptFileVmidOutOfRange) {
  expect_corrupt(R"({"a": 99})", "VMID of \"a\" is not a number in 100..999999999");
  expect_corrupt(R"({"a": 1000000000})", "VMID of \"a\" is not a number in 100..999999999");
  expect_corrupt(R"({"a": -5})", "VMID of \"a\"");
  expect_corrupt(R"({"a": "100"})", "VMID of \"a\"");
  expect_corrupt(R"({"a": 150.5})", "VMID of \"a\"");
}

TEST(PctVmidMap, AdoptRecordsAFoundPairingAndRefusesConflicts) {
  TempDir tmp("pct-vmid");
  VmidMap map(tmp.path() / "pct");
  map.adopt("web", 105);
  EXPECT_EQ(map.find("web"), 105u);
  map.adopt("web", 105);  // again: nothing changes
  EXPECT_EQ(map.entries().size(), 1u);
  EXPECT_THROW(map.adopt("web", 106), nexcage::Error) << "the id has another VMID";
  EXPECT_THROW(map.adopt("db", 105), nexcage::Error) << "the VMID is another id's";
  EXPECT_EQ(map.entries(), (std::map<std::string, uint32_t>{{"web", 105}}));
}
