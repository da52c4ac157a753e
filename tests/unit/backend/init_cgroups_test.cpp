// What the runc/crun driver notes of an init's cgroups, and the freezer it finds through the note
// alone: the fixture's /proc is removed before the freezer is read.
#include <gtest/gtest.h>

#include "cgroup_fixtures.hpp"
#include "nexcage/backend/oci_cli/init_cgroups.hpp"
#include "nexcage/cgroup/freezer.hpp"
#include "nexcage/core/error.hpp"

using namespace nexcage;
using nexcage::testing_support::CgroupFixture;
namespace oci_cli = nexcage::backend::oci_cli;

namespace {

state::Record record_noting(const nlohmann::json& noted) {
  state::Record record;
  record.id = "c1";
  record.backend_state = {{"root", "/run/nexcage/.backends/runc"}};
  record.backend_state[oci_cli::init_cgroups_key] = noted;
  return record;
}

std::string error_of(const state::Record& record, const cgroup::Host& host) {
  try {
    oci_cli::recorded_init_cgroups(record, host);
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST(InitCgroups, NotesTheFreezerAndTheUnifiedPathOfAHybridHost) {
  CgroupFixture f("init-cgroups");
  testing_support::build_hybrid(f);
  auto noted = oci_cli::init_cgroups_of(5003, f.host());
  ASSERT_TRUE(noted);
  EXPECT_EQ(*noted, nlohmann::json({{"freezer", "/lxc.payload.100/sub"},
                                    {"unified", "/lxc.payload.100/sub"}}));
  EXPECT_FALSE(oci_cli::init_cgroups_of(4242, f.host()));  // gone
}

TEST(InitCgroups, NotesNoPathItWouldRefuseToReadBack) {
  CgroupFixture f("init-cgroups");
  testing_support::build_hybrid(f);
  f.process(5009, "6:freezer:/" + std::string(5000, 'a') + "\n0::/c9\n");
  auto noted = oci_cli::init_cgroups_of(5009, f.host());
  ASSERT_TRUE(noted);
  EXPECT_EQ(*noted, nlohmann::json({{"unified", "/c9"}}));
}

TEST(InitCgroups, NotesOnlyTheUnifiedPathOfAPureV2Host) {
  CgroupFixture f("init-cgroups");
  testing_support::build_proxmox9(f);
  EXPECT_EQ(*oci_cli::init_cgroups_of(4001, f.host()),
            nlohmann::json({{"unified", "/lxc/100/ns/init.scope"}}));
}

TEST(InitCgroups, TheNotedFreezerIsReadWithoutTheProcess) {
  CgroupFixture f("init-cgroups");
  testing_support::build_hybrid(f);
  auto record = record_noting(*oci_cli::init_cgroups_of(5001, f.host()));
  std::filesystem::remove_all(f.proc());
  auto dirs = oci_cli::recorded_init_cgroups(record, f.host());
  ASSERT_TRUE(dirs);
  EXPECT_EQ(dirs->v1.at("freezer"), f.cg() / "freezer/lxc.payload.100");
  EXPECT_EQ(*dirs->unified, f.cg() / "unified/lxc.payload.100");
  EXPECT_FALSE(cgroup::is_frozen(*dirs));
  f.file("freezer/lxc.payload.100/freezer.state", "FROZEN\n");
  EXPECT_TRUE(cgroup::is_frozen(*dirs));

  CgroupFixture v2("init-cgroups");
  testing_support::build_proxmox9(v2);
  auto on_v2 = record_noting(*oci_cli::init_cgroups_of(4001, v2.host()));
  std::filesystem::remove_all(v2.proc());
  testing_support::freeze_v2(v2, "lxc/100");
  EXPECT_TRUE(cgroup::is_frozen(*oci_cli::recorded_init_cgroups(on_v2, v2.host())));
}

TEST(InitCgroups, ARecordWithoutTheNoteHasNone) {
  CgroupFixture f("init-cgroups");
  testing_support::build_hybrid(f);
  state::Record older;
  older.id = "c1";
  older.backend_state = {{"root", "/run/nexcage/.backends/runc"}};
  EXPECT_FALSE(oci_cli::recorded_init_cgroups(older, f.host()));
}

TEST(InitCgroups, ADamagedNoteIsRefusedNamingTheField) {
  CgroupFixture f("init-cgroups");
  testing_support::build_hybrid(f);
  auto host = f.host();
  EXPECT_EQ(error_of(record_noting("/c1"), host),
            "state record of c1: backend_state.init_cgroups must be an object");
  EXPECT_EQ(
      error_of(record_noting({{"freezer", 7}}), host),
      "state record of c1: backend_state.init_cgroups.freezer must be an absolute cgroup path");
  EXPECT_EQ(
      error_of(record_noting({{"unified", "c1"}}), host),
      "state record of c1: backend_state.init_cgroups.unified must be an absolute cgroup path");
  EXPECT_EQ(
      error_of(record_noting({{"freezer", "/c1/../../etc"}}), host),
      "state record of c1: backend_state.init_cgroups.freezer must be an absolute cgroup path");
  EXPECT_EQ(
      error_of(record_noting({{"freezer", "/" + std::string(5000, 'a')}}), host),
      "state record of c1: backend_state.init_cgroups.freezer must be an absolute cgroup path");
  EXPECT_EQ(error_of(record_noting({{"memory", "/c1"}}), host),
            "state record of c1: backend_state.init_cgroups has an unknown key \"memory\"");
  EXPECT_EQ(error_of(record_noting(nlohmann::json::object()), host), "(no error)");
}
