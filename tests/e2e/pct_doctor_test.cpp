// `nexcage doctor --repair` on a Proxmox host (the stand-in): pct containers in every state stay
// as they are, whether nexcage drove them there or Proxmox did, and only what nexcage itself lost
// track of is forgotten. Doctor never destroys a Proxmox container.
#include "pct_fixture.hpp"

namespace e2e {
namespace {

class PctDoctorTest : public PctTest {
 protected:
  nlohmann::json doctor(bool repair) const {
    std::vector<std::string> args{"doctor", "--format", "json"};
    if (repair) args.push_back("--repair");
    auto r = ws.nx(args);
    auto report = nlohmann::json::parse(r.out, nullptr, false);
    EXPECT_TRUE(report.is_object()) << r;
    return report;
  }
  // The findings whose check or message names `word`.
  static std::vector<nlohmann::json> about(const nlohmann::json& report, const std::string& word) {
    std::vector<nlohmann::json> out;
    if (!report.is_object() || !report.contains("findings")) return out;
    for (const auto& f : report["findings"])
      if (contains(f.value("check", ""), word) || contains(f.value("message", ""), word))
        out.push_back(f);
    return out;
  }
  static bool any_problem(const std::vector<nlohmann::json>& findings) {
    for (const auto& f : findings)
      if (f.value("severity", "") == "problem") return true;
    return false;
  }
  std::string status(const std::string& id) const { return ws.state(id).value("status", ""); }
};

TEST_F(PctDoctorTest, RepairLeavesLiveContainersAloneAndForgetsOnlyWhatProxmoxLost) {
  auto b = bundle("image", loop_until_term);
  ASSERT_EQ(ws.nx({"create", "--bundle", b.string(), "running"}).code, 0);
  ASSERT_EQ(ws.nx({"start", "running"}).code, 0);
  ASSERT_EQ(ws.nx({"create", "--bundle", b.string(), "created"}).code, 0);
  ASSERT_EQ(ws.nx({"create", "--bundle", b.string(), "stopped"}).code, 0);
  ASSERT_EQ(ws.nx({"start", "stopped"}).code, 0);
  // Stopped and started again by Proxmox (the GUI, onboot): the application runs without nexcage.
  auto restarted = ws.nx({"create", "--bundle", b.string(), "restarted"});
  ASSERT_EQ(restarted.code, 0) << restarted;
  ASSERT_EQ(ws.nx({"start", "restarted"}).code, 0);
  // Destroyed behind nexcage's back: the one record that is really stale.
  ASSERT_EQ(ws.nx({"create", "--bundle", b.string(), "gone"}).code, 0);
  std::map<std::string, uint32_t> vmids;
  for (const char* id : {"running", "created", "stopped", "restarted", "gone"})
    vmids[id] = vmid_of(id);
  auto vm = [&](const char* id) { return std::to_string(vmids[id]); };
  ASSERT_EQ(pct({"stop", vm("stopped")}).code, 0);
  ASSERT_EQ(pct({"stop", vm("restarted")}).code, 0);
  ASSERT_EQ(pct({"start", vm("restarted")}).code, 0);
  ASSERT_EQ(pct({"stop", vm("gone")}).code, 0);
  ASSERT_EQ(pct({"destroy", vm("gone")}).code, 0);
  ASSERT_TRUE(ws.wait_for_status("stopped", "stopped"));

  EXPECT_EQ(ws.nx({"state", "gone"}).code, 0) << "recorded until doctor forgets it";
  auto before = doctor(false);
  for (const char* id : {"running", "created", "stopped", "restarted"})
    EXPECT_FALSE(any_problem(about(before, id))) << id << ": " << before.dump(2);
  EXPECT_TRUE(any_problem(about(before, "gone"))) << before.dump(2);

  auto repaired = doctor(true);
  for (const char* id : {"running", "created", "stopped", "restarted"})
    EXPECT_FALSE(any_problem(about(repaired, id))) << id << ": " << repaired.dump(2);

  // Every live container is still there, in Proxmox and in nexcage, in the state it was in.
  for (const char* id : {"running", "created", "stopped", "restarted"}) {
    EXPECT_TRUE(fsys::exists(conf(vmids[id]))) << id;
    EXPECT_EQ(vmid_of(id), vmids[id]) << id;
  }
  EXPECT_EQ(status("running"), "running");
  EXPECT_EQ(status("created"), "created");
  EXPECT_EQ(status("stopped"), "stopped");
  EXPECT_EQ(status("restarted"), "running");
  EXPECT_EQ(ws.nx({"exec", "running", "true"}).code, 0);
  // ... and the lost one is forgotten: nothing names it any more.
  auto gone = ws.nx({"state", "gone"});
  EXPECT_EQ(gone.code, 1) << gone;
  EXPECT_TRUE(contains(gone.err, "container does not exist")) << gone;
  EXPECT_EQ(read_json(vmid_map()).count("gone"), 0u);
  auto after = doctor(false);
  EXPECT_FALSE(any_problem(about(after, "gone"))) << after.dump(2);

  // The created one still starts: doctor did not touch its gate.
  ASSERT_EQ(ws.nx({"start", "created"}).code, 0);
  EXPECT_EQ(status("created"), "running");
}

TEST_F(PctDoctorTest, RepairAfterTheStateRootIsWipedForgetsNothingProxmoxKeeps) {
  auto b = bundle("image", loop_until_term);
  auto created =
      ws.nx({"create", "--image", b.string(), "--name", "web", "--net", "none", "--start"});
  ASSERT_EQ(created.code, 0) << created;
  uint32_t vmid = vmid_of("web");
  fsys::remove_all(ws.root());  // a reboot's new /run; Proxmox keeps the container running

  auto report = doctor(true);
  EXPECT_FALSE(any_problem(about(report, "web"))) << report.dump(2);
  EXPECT_TRUE(fsys::exists(conf(vmid)));
  EXPECT_GT(init_pid(vmid), 0);
  EXPECT_EQ(ws.state("web").value("status", ""), "running");
  ASSERT_EQ(ws.nx({"delete", "--force", "web"}).code, 0);
  expect_nothing_left(vmid);
}

}  // namespace
}  // namespace e2e
