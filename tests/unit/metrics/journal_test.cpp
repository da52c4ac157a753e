#include "nexcage/metrics/journal.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include <gtest/gtest.h>

#include "../temp_dir.hpp"
#include "nexcage/state/state_root.hpp"

using namespace nexcage::metrics;
namespace fsys = std::filesystem;
using nexcage::testing_support::TempDir;

namespace {

uint64_t count_of(const Totals& totals, const std::string& op, const std::string& backend,
                  const std::string& result) {
  auto it = totals.counts.find({op, backend, result});
  return it == totals.counts.end() ? 0 : it->second;
}

void write_file(const fsys::path& path, const std::string& text) {
  std::ofstream(path) << text;
}

// A state root as nexcage makes one: with its marker.
struct MarkedRoot : TempDir {
  MarkedRoot() : TempDir("metrics") { write_file(path() / root_marker, ""); }
};

}  // namespace

TEST(MetricsJournal, NamesAgreeWithTheStateRoots) {
  EXPECT_STREQ(root_marker, nexcage::state::root_marker);
  EXPECT_STREQ(metrics_dir, nexcage::state::metrics_dir);
}

TEST(MetricsJournal, AnUnmarkedDirectoryIsLeftAlone) {
  TempDir root("metrics");  // e.g. an empty --root no create has taken over yet
  append(root.path(), Sample{"list", "", "ok", 0.001});
  EXPECT_TRUE(fsys::is_empty(root.path()));
  EXPECT_TRUE(collect(root.path()).counts.empty());
  EXPECT_TRUE(fsys::is_empty(root.path()));
}

TEST(MetricsJournal, AppendThenCollectCountsEverySampleOnce) {
  MarkedRoot root;
  append(root.path(), Sample{"create", "runc", "ok", 0.1});
  append(root.path(), Sample{"create", "runc", "ok", 0.2});
  append(root.path(), Sample{"state", "", "not_found", 0.001});
  auto totals = collect(root.path());
  EXPECT_EQ(count_of(totals, "create", "runc", "ok"), 2u);
  EXPECT_EQ(count_of(totals, "state", "", "not_found"), 1u);
  EXPECT_EQ(totals.folded_through, 1u);
  // Folded: the journal is gone, the totals carry the counts on.
  EXPECT_FALSE(fsys::exists(root.path() / metrics_dir / "journal"));
  append(root.path(), Sample{"create", "runc", "ok", 0.3});
  totals = collect(root.path());
  EXPECT_EQ(count_of(totals, "create", "runc", "ok"), 3u);
  EXPECT_EQ(totals.folded_through, 2u);
  EXPECT_EQ((fsys::status(root.path() / metrics_dir).permissions() & fsys::perms::all),
            fsys::perms::owner_all);
}

TEST(MetricsJournal, NothingIsMadeWithoutAStateRoot) {
  TempDir base("metrics");
  auto root = base.path() / "missing";
  append(root, Sample{"state", "", "not_found", 0.001});
  EXPECT_FALSE(fsys::exists(root));
  EXPECT_TRUE(collect(root).counts.empty());
}

TEST(MetricsJournal, AFoldThatDiedIsFinishedByTheNext) {
  MarkedRoot root;
  append(root.path(), Sample{"kill", "crun", "ok", 0.01});
  collect(root.path());  // totals: kill=1, through 1
  auto dir = root.path() / metrics_dir;
  // Died after writing the totals of journal.1, before removing it: not counted again.
  write_file(dir / "journal.1", "kill crun ok 10000000\n");
  // Died after renaming journal.2, before folding it: counted now.
  write_file(dir / "journal.2", "kill crun ok 10000000\nkill crun ok 10000000\n");
  auto totals = collect(root.path());
  EXPECT_EQ(count_of(totals, "kill", "crun", "ok"), 3u);
  EXPECT_EQ(totals.folded_through, 2u);
  EXPECT_FALSE(fsys::exists(dir / "journal.1"));
  EXPECT_FALSE(fsys::exists(dir / "journal.2"));
}

TEST(MetricsJournal, DamagedTotalsStartAgainFromZero) {
  MarkedRoot root;
  append(root.path(), Sample{"kill", "crun", "ok", 0.01});
  collect(root.path());
  write_file(root.path() / metrics_dir / "totals", "not totals\n");
  append(root.path(), Sample{"kill", "crun", "ok", 0.01});
  auto totals = collect(root.path());
  EXPECT_EQ(count_of(totals, "kill", "crun", "ok"), 1u);
}

// Many processes appending while folds run: no sample lost, none counted twice.
TEST(MetricsJournal, ConcurrentAppendsAndFoldsLoseNothing) {
  MarkedRoot root;
  constexpr int writers = 6;
  constexpr int per_writer = 300;
  std::vector<pid_t> pids;
  for (int w = 0; w < writers; ++w) {
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      for (int i = 0; i < per_writer; ++i)
        append(root.path(), Sample{"start", "runc", "ok", 0.001 * i});
      ::_exit(0);
    }
    pids.push_back(pid);
  }
  pid_t folder = ::fork();
  ASSERT_GE(folder, 0);
  if (folder == 0) {
    for (int i = 0; i < 50; ++i) collect(root.path());
    ::_exit(0);
  }
  pids.push_back(folder);
  for (pid_t pid : pids) {
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  auto totals = collect(root.path());
  EXPECT_EQ(count_of(totals, "start", "runc", "ok"), uint64_t{writers * per_writer});
  EXPECT_EQ((totals.durations[{"start", "runc"}].count), uint64_t{writers * per_writer});
}

// A journal past the threshold is folded by the command that finds it so, without `metrics`.
TEST(MetricsJournal, ALargeJournalIsFoldedByAnAppend) {
  MarkedRoot root;
  append(root.path(), Sample{"state", "runc", "ok", 0.001});
  auto journal = root.path() / metrics_dir / "journal";
  {
    std::ofstream out(journal, std::ios::app);
    std::string line = "state runc ok 1000000\n";
    for (std::size_t size = 0; size < fold_threshold; size += line.size()) out << line;
  }
  append(root.path(), Sample{"state", "runc", "ok", 0.001});
  EXPECT_FALSE(fsys::exists(journal));
  EXPECT_TRUE(fsys::exists(root.path() / metrics_dir / "totals"));
  auto totals = collect(root.path());
  EXPECT_GT(count_of(totals, "state", "runc", "ok"), 10000u);
}
