// A host reboot as the pct backend sees it: Proxmox keeps the containers (and starts those with
// onboot), /run is a new tmpfs, so nexcage's state root is gone. What nexcage must remember is
// recovered from Proxmox itself (the mark in each container's description), so the admin's
// containers are listed and can be killed, started and deleted again.
#include "pct_fixture.hpp"

namespace e2e {
namespace {

class PctRebootTest : public PctTest {
 protected:
  // Every container stops, and /run (the state root) is wiped; Proxmox's files stay.
  void reboot(const std::vector<uint32_t>& vmids) {
    for (auto vmid : vmids) pct({"stop", std::to_string(vmid)});
    fsys::remove_all(ws.root());
  }
  nlohmann::json listed(const std::string& id) const {
    auto list = nlohmann::json::parse(ws.nx({"list", "--format", "json"}).out, nullptr, false);
    for (const auto& c : list)
      if (c.value("id", "") == id) return c;
    return nullptr;
  }
};

TEST_F(PctRebootTest, AdminContainersAreListedAndActedOnAfterTheStateRootIsWiped) {
  auto b = bundle("image", loop_until_term);
  auto created = ws.nx(
      {"create", "--image", b.string(), "--name", "web", "--net", "none", "--start", "--onboot"});
  ASSERT_EQ(created.code, 0) << created;
  uint32_t vmid = vmid_of("web");
  ASSERT_GT(vmid, 0u);
  auto vm = std::to_string(vmid);
  auto config = pct({"config", vm});
  EXPECT_TRUE(contains(config.out, "onboot: 1\n")) << config;
  EXPECT_TRUE(contains(config.out, "hostname: web\n")) << config;
  auto other = ws.nx({"create", "--image", b.string(), "--name", "db", "--net", "none"});
  ASSERT_EQ(other.code, 0) << other;
  uint32_t db = vmid_of("db");

  reboot({vmid, db});
  ASSERT_FALSE(fsys::exists(ws.root()));
  // The boot (pve-guests.service) starts the onboot container, without nexcage: the
  // application runs; db has no onboot and stays stopped.
  auto boot = run_command((pve_ / "bin/pvesh").string(), {"create", "/nodes/pve/startall"});
  ASSERT_EQ(boot.code, 0) << boot;
  EXPECT_EQ(boot.out, "Starting CT " + vm + "\n");
  int init = 0;
  ASSERT_TRUE(eventually([&] { return (init = init_pid(vmid)) > 0; }));

  // list and state read Proxmox and write nothing.
  auto web = listed("web");
  ASSERT_TRUE(web.is_object()) << ws.nx({"list"});
  EXPECT_EQ(web.value("status", ""), "running");
  EXPECT_EQ(web.value("pid", 0), init);
  EXPECT_EQ(web.value("vmid", 0u), vmid);
  EXPECT_FALSE(web.value("created", "").empty());
  auto stopped = listed("db");
  ASSERT_TRUE(stopped.is_object());
  EXPECT_EQ(stopped.value("status", ""), "stopped");
  EXPECT_EQ(ws.state("web").value("status", ""), "running");
  EXPECT_FALSE(fsys::exists(ws.root() / "web")) << "state wrote a record";

  // The id is taken while Proxmox keeps the container: create refuses, as for a recorded id.
  auto again = ws.nx({"create", "--image", b.string(), "--name", "web", "--net", "none"});
  EXPECT_NE(again.code, 0) << again;
  EXPECT_TRUE(contains(again.err, "container with given ID already exists")) << again;

  // Acting on it records it again (VMID map included) and works.
  auto killed = ws.nx({"kill", "web", "TERM"});
  ASSERT_EQ(killed.code, 0) << killed;
  EXPECT_TRUE(ws.wait_for_status("web", "stopped"));
  EXPECT_EQ(read_json(vmid_map()).value("web", 0u), vmid);
  // A stopped Proxmox container starts again through nexcage: Proxmox runs the application.
  auto started = ws.nx({"start", "web"});
  ASSERT_EQ(started.code, 0) << started;
  EXPECT_TRUE(ws.wait_for_status("web", "running"));
  auto exec = ws.nx({"exec", "web", "sh", "-c", "echo $GREETING"});
  EXPECT_EQ(exec.out, "hello pct\n") << exec;

  auto deleted = ws.nx({"delete", "--force", "web"});
  ASSERT_EQ(deleted.code, 0) << deleted;
  ASSERT_EQ(ws.nx({"delete", "db"}).code, 0);
  expect_nothing_left(vmid);
  EXPECT_FALSE(fsys::exists(conf(db)));
}

TEST_F(PctRebootTest, AnotherRootsContainersAreNeverRecovered) {
  auto b = bundle("image", loop_until_term);
  ASSERT_EQ(
      in_second_root({"create", "--image", b.string(), "--name", "theirs", "--net", "none"}).code,
      0);
  fsys::remove_all(ws.root());
  EXPECT_FALSE(listed("theirs").is_object());
  auto killed = ws.nx({"kill", "theirs", "KILL"});
  EXPECT_NE(killed.code, 0) << killed;
  auto deleted = ws.nx({"delete", "--force", "theirs"});
  EXPECT_EQ(deleted.code, 0) << "delete --force of an unknown id succeeds, as runc's";
  EXPECT_EQ(in_second_root({"state", "theirs"}).code, 0) << "root B's container is untouched";
  ASSERT_EQ(in_second_root({"delete", "--force", "theirs"}).code, 0);
}

TEST_F(PctRebootTest, AForgedMarkIsNeverRecovered) {
  // A guest whose description someone wrote to look like nexcage's (Proxmox lets users with
  // VM.Config.Options do that): without the root-only owner file in host_dir, it stays unknown.
  fsys::create_directories(ws.root());
  write_file(conf(4242), "#nexcage container forged\n#nexcage root " +
                             ws.backend_root("pct").string() +
                             "\narch: amd64\nostype: unmanaged\nmemory: 512\n");
  EXPECT_FALSE(listed("forged").is_object()) << ws.nx({"list"});
  auto killed = ws.nx({"kill", "forged", "KILL"});
  EXPECT_NE(killed.code, 0) << killed;
  EXPECT_TRUE(contains(killed.err, "does not exist")) << killed;
  fsys::remove(conf(4242));
}

}  // namespace
}  // namespace e2e
