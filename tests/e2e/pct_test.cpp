// The pct backend end to end: nexcage -> the Proxmox stand-in's pct and pvesh (tests/pve/) ->
// Debian's LXC running the container for real. The stand-in rejects what real pct rejects, so a
// wrong argv or config line fails here as it would on Proxmox.
#include "images.hpp"
#include "pct_fixture.hpp"

namespace e2e {
namespace {

// pct has no --version: nexcage names the binary and pve-container's package version, once.
TEST_F(PctTest, VersionNamesPctAndPveContainer) {
  auto r = ws.nx({"--version"});
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_FALSE(contains(r.out, "pct: pct:")) << r;
  std::istringstream lines(r.out);
  std::string pct_line;
  for (std::string line; std::getline(lines, line);)
    if (line.rfind("pct: ", 0) == 0) pct_line = line;
  EXPECT_TRUE(contains(pct_line, "(pve-container 6.1")) << r;
}

TEST_F(PctTest, LifecycleCreateStartExecPauseKillDelete) {
  auto b = bundle("life", loop_until_term);
  auto created = ws.nx({"create", "--bundle", b.string(), "life"});
  ASSERT_EQ(created.code, 0) << created;
  auto state = ws.state("life");
  ASSERT_EQ(state.value("status", ""), "created");
  int pid = state.value("pid", 0);
  ASSERT_GT(pid, 0);
  uint32_t vmid = vmid_of("life");
  ASSERT_GE(vmid, 100u);
  // The reported pid is nexcage-monitor, the process a caller waits for; the container's init
  // is nexcage-init waiting for the start signal.
  EXPECT_EQ(read_file("/proc/" + std::to_string(pid) + "/comm"), "nexcage-monitor\n");
  int init = init_pid(vmid);
  ASSERT_GT(init, 0);
  EXPECT_EQ(read_file("/proc/" + std::to_string(init) + "/comm"), "nexcage-waiting\n");
  auto config = pct({"config", std::to_string(vmid)});
  EXPECT_TRUE(contains(config.out, "tags: nexcage")) << config;
  EXPECT_TRUE(contains(config.out, "unprivileged: 1")) << config;
  EXPECT_TRUE(contains(ws.nx({"list"}).out, "VMID"));

  ASSERT_EQ(ws.nx({"start", "life"}).code, 0);
  EXPECT_EQ(ws.state("life").value("status", ""), "running");
  EXPECT_EQ(ws.state("life").value("pid", 0), pid);
  EXPECT_EQ(init_pid(vmid), init);
  EXPECT_TRUE(contains(read_file("/proc/" + std::to_string(init) + "/cmdline"), "trap"));

  auto exec = ws.nx({"exec", "life", "sh", "-c", "echo $GREETING; hostname; pwd; id -u"});
  EXPECT_EQ(exec.code, 0) << exec;
  EXPECT_EQ(exec.out, "hello pct\ne2e\n/\n0\n");
  auto as_user = ws.nx({"exec", "--user", "1000:1000", "--cwd", "/tmp", "--env", "X=1", "life",
                        "sh", "-c", "id -u; pwd; echo $X"});
  EXPECT_EQ(as_user.out, "1000\n/tmp\n1\n") << as_user;
  EXPECT_EQ(ws.nx({"exec", "life", "sh", "-c", "exit 7"}).code, 7);

  ASSERT_EQ(ws.nx({"pause", "life"}).code, 0);
  EXPECT_EQ(ws.state("life").value("status", ""), "paused");
  ASSERT_EQ(ws.nx({"resume", "life"}).code, 0);
  EXPECT_EQ(ws.state("life").value("status", ""), "running");
  auto ps = ws.nx({"ps", "--format", "json", "life"});
  EXPECT_TRUE(contains(ps.out, std::to_string(init))) << ps;

  ASSERT_EQ(ws.nx({"kill", "life", "TERM"}).code, 0);
  EXPECT_TRUE(ws.wait_for_status("life", "stopped"));
  EXPECT_TRUE(eventually([&] { return !process_exists(pid); }))
      << "nexcage-monitor ends with the init";
  auto deleted = ws.nx({"delete", "life"});
  EXPECT_EQ(deleted.code, 0) << deleted;
  EXPECT_TRUE(ws.ids().empty());
  expect_nothing_left(vmid);
}

// podman's /etc/hosts lives in a 0700 directory; LXC mounts file binds as the container's root
// (uid 100000), which cannot enter it: nexcage binds a copy the container's root owns.
TEST_F(PctTest, AFileBindFromAPrivateDirectoryIsBoundFromACopy) {
  auto private_dir = ws.dir() / "userdata";
  fsys::create_directories(private_dir);
  ::chmod(private_dir.c_str(), 0700);
  write_file(private_dir / "hosts", "10.1.2.3 from-the-host\n");
  ::chmod((private_dir / "hosts").c_str(), 0644);
  auto b = bundle("files", loop_until_term, [&](nlohmann::json& spec) {
    spec["root"]["readonly"] = false;  // as podman's: LXC creates the mount target /etc/hosts
    spec["mounts"].push_back({{"destination", "/etc/hosts"},
                              {"type", "bind"},
                              {"source", (private_dir / "hosts").string()},
                              {"options", {"bind", "rprivate"}}});
  });
  auto created = ws.nx({"create", "--bundle", b.string(), "files"});
  ASSERT_EQ(created.code, 0) << created;
  uint32_t vmid = vmid_of("files");
  auto copies = ws.dir() / "pct-host" / "files";
  ASSERT_TRUE(fsys::exists(copies));
  EXPECT_TRUE(contains(read_file(conf(vmid)), copies.string())) << read_file(conf(vmid));
  ASSERT_EQ(ws.nx({"start", "files"}).code, 0);
  auto exec = ws.nx({"exec", "files", "sh", "-c",
                     "cat /etc/hosts; echo 10.9.9.9 added >> /etc/hosts && echo written"});
  EXPECT_EQ(exec.code, 0) << exec;
  EXPECT_EQ(exec.out, "10.1.2.3 from-the-host\nwritten\n");
  // The caller's file and directory are left as they were.
  EXPECT_EQ(read_file(private_dir / "hosts"), "10.1.2.3 from-the-host\n");
  struct stat st {};
  ASSERT_EQ(::stat(private_dir.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0700u);
  ASSERT_EQ(ws.nx({"delete", "--force", "files"}).code, 0);
  EXPECT_TRUE(fsys::is_empty(copies)) << "delete removes the copies";
  expect_nothing_left(vmid);
}

TEST_F(PctTest, KillWithSigkillIsAHardStop) {
  auto b = bundle("hard", {"sleep", "300"});
  ASSERT_EQ(ws.nx({"create", "--bundle", b.string(), "hard"}).code, 0);
  ASSERT_EQ(ws.nx({"start", "hard"}).code, 0);
  uint32_t vmid = vmid_of("hard");
  ASSERT_EQ(ws.nx({"kill", "hard", "KILL"}).code, 0);
  EXPECT_TRUE(ws.wait_for_status("hard", "stopped"));
  EXPECT_EQ(pct({"status", std::to_string(vmid)}).out, "status: stopped\n");
  EXPECT_EQ(ws.nx({"delete", "hard"}).code, 0);
  expect_nothing_left(vmid);
}

TEST_F(PctTest, DeleteOfACreatedContainerNeedsNoForce) {
  auto b = bundle("fresh", {"sleep", "300"});
  ASSERT_EQ(ws.nx({"create", "--bundle", b.string(), "fresh"}).code, 0);
  uint32_t vmid = vmid_of("fresh");
  auto deleted = ws.nx({"delete", "fresh"});
  EXPECT_EQ(deleted.code, 0) << deleted;
  expect_nothing_left(vmid);
}

TEST_F(PctTest, OneTemplatePerRootfsKeptWhileUsed) {
  auto a = bundle("a", {"sleep", "300"});
  auto b = bundle("b", {"sleep", "300"});
  ASSERT_EQ(ws.nx({"create", "--bundle", a.string(), "a"}).code, 0);
  ASSERT_EQ(ws.nx({"create", "--bundle", b.string(), "b"}).code, 0);
  EXPECT_EQ(templates().size(), 1u);
  EXPECT_NE(vmid_of("a"), vmid_of("b"));
  ASSERT_EQ(ws.nx({"delete", "a"}).code, 0);
  EXPECT_EQ(templates().size(), 1u) << "b still uses the template";
  uint32_t vmid = vmid_of("b");
  ASSERT_EQ(ws.nx({"delete", "b"}).code, 0);
  expect_nothing_left(vmid);
}

TEST_F(PctTest, VmidTakenBetweenNextidAndCreateIsRetried) {
  // A "VM" holds 100, and nextid answers 100 once anyway: the race Proxmox documents.
  fsys::create_directories(pve_ / "etc/pve/nodes/pve/qemu-server");
  write_file(pve_ / "etc/pve/nodes/pve/qemu-server/100.conf", "memory: 128\n");
  write_file(pve_ / "etc/pve/.standin-nextid-race", "100\n");
  auto b = bundle("race", {"sleep", "300"});
  auto created = ws.nx({"create", "--bundle", b.string(), "race"});
  ASSERT_EQ(created.code, 0) << created;
  EXPECT_EQ(vmid_of("race"), 101u);
  EXPECT_TRUE(fsys::exists(pve_ / "etc/pve/nodes/pve/qemu-server/100.conf"));
  EXPECT_EQ(nlohmann::json::parse(read_file(vmid_map())), (nlohmann::json{{"race", 101}}));
  ASSERT_EQ(ws.nx({"delete", "race"}).code, 0);
  EXPECT_TRUE(fsys::exists(pve_ / "etc/pve/nodes/pve/qemu-server/100.conf"))
      << "never touch another guest";
}

TEST_F(PctTest, AdminFormCreatesFromABundleAndPrintsTheVmid) {
  auto b = bundle("image", {"sleep", "300"});
  auto created = ws.nx({"create", "--image", b.string(), "--name", "web", "--memory", "64",
                        "--cores", "1", "--net", "none", "--start"});
  ASSERT_EQ(created.code, 0) << created;
  uint32_t vmid = vmid_of("web");
  EXPECT_EQ(created.out, std::to_string(vmid) + "\n");
  EXPECT_EQ(ws.state("web").value("status", ""), "running");
  auto config = pct({"config", std::to_string(vmid)});
  EXPECT_TRUE(contains(config.out, "memory: 64\n")) << config;
  EXPECT_TRUE(contains(config.out, "cpulimit: 1\n")) << config;
  EXPECT_FALSE(contains(config.out, "net0")) << config;
  // A busybox rootfs of a few MB: its size x1.5 + 1 GiB, rounded up.
  EXPECT_TRUE(contains(config.out, ",size=2G\n")) << config;
  ASSERT_EQ(ws.nx({"delete", "--force", "web"}).code, 0);
  EXPECT_FALSE(fsys::exists(ws.root() / ".bundles" / "web"));
  expect_nothing_left(vmid);

  created =
      ws.nx({"create", "--image", b.string(), "--name", "big", "--net", "none", "--disk", "5"});
  ASSERT_EQ(created.code, 0) << created;
  config = pct({"config", std::to_string(vmid_of("big"))});
  EXPECT_TRUE(contains(config.out, ",size=5G\n")) << config;
  ASSERT_EQ(ws.nx({"delete", "big"}).code, 0);
}

TEST_F(PctTest, AnOlderProxmoxIsRefusedBeforeAnythingIsMade) {
  write_file(pve_ / "var/lib/dpkg/status",
             "Package: pve-container\nStatus: install ok installed\nVersion: 6.0.15\n");
  auto b = bundle("old", {"sleep", "300"});
  auto r = ws.nx({"create", "--bundle", b.string(), "old"});
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_TRUE(contains(r.err, "pve-container 6.0.15 is too old: ")) << r;
  EXPECT_TRUE(contains(r.err, "entrypoint (process.args) needs 6.1.0 or later")) << r;
  EXPECT_TRUE(ws.ids().empty());
  EXPECT_TRUE(templates().empty());
  EXPECT_EQ(pct({"list"}).out, "");

  // 6.1.4 understands the entrypoint but adds no /dev/shm: the bundle's own tmpfs is kept.
  write_file(pve_ / "var/lib/dpkg/status",
             "Package: pve-container\nStatus: install ok installed\nVersion: 6.1.4\n");
  r = ws.nx({"create", "--bundle", b.string(), "old"});
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_TRUE(contains(read_file(conf(vmid_of("old"))), " dev/shm tmpfs "))
      << read_file(conf(vmid_of("old")));
  ASSERT_EQ(ws.nx({"delete", "old"}).code, 0);

  write_file(pve_ / "var/lib/dpkg/status",
             "Package: pve-container\nStatus: deinstall ok config-files\nVersion: 6.1.10\n");
  r = ws.nx({"create", "--bundle", b.string(), "old"});
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_TRUE(contains(r.err, "pve-container is not installed")) << r;
}

TEST_F(PctTest, AdminFormCreatesFromAnOciImageLayoutAndArchive) {
  if (::access("/usr/bin/umoci", X_OK) != 0)
    GTEST_SKIP() << "umoci is missing (scripts/install-deps.sh installs it)";
  auto layout = make_image_layout(ws.dir() / "image");
  auto created = ws.nx({"create", "--image", layout.string(), "--name", "fromlayout", "--start"});
  ASSERT_EQ(created.code, 0) << created;
  uint32_t vmid = vmid_of("fromlayout");
  EXPECT_EQ(created.out, std::to_string(vmid) + "\n");
  auto exec = ws.nx({"exec", "fromlayout", "sh", "-c", "echo $GREETING; pwd; hostname; id -u"});
  EXPECT_EQ(exec.out, "from the image\n/tmp\nfromlayout\n0\n") << exec;
  EXPECT_TRUE(contains(pct({"config", std::to_string(vmid)}).out, "unprivileged: 1"));
  EXPECT_EQ(ws.nx({"create", "--image", layout.string() + ":nope", "--name", "x"}).code, 1);

  // The same image as an OCI archive, the file `skopeo copy ... oci-archive:` writes.
  auto archive = ws.dir() / "image.tar";
  auto packed = run_command("/usr/bin/tar", {"-C", layout.string(), "-cf", archive.string(),
                                             "oci-layout", "index.json", "blobs"});
  ASSERT_EQ(packed.code, 0) << packed;
  created = ws.nx({"create", "--image", archive.string(), "--name", "fromarchive", "--start"});
  ASSERT_EQ(created.code, 0) << created;
  EXPECT_EQ(ws.state("fromarchive").value("status", ""), "running");
  EXPECT_EQ(templates().size(), 1u) << "one rootfs, one template";

  ASSERT_EQ(ws.nx({"delete", "--force", "fromlayout"}).code, 0);
  ASSERT_EQ(ws.nx({"delete", "--force", "fromarchive"}).code, 0);
  EXPECT_FALSE(fsys::exists(ws.root() / ".bundles" / "fromlayout"));
  EXPECT_FALSE(fsys::exists(ws.root() / ".bundles" / "fromarchive"));
  expect_nothing_left(vmid);
}

TEST_F(PctTest, AdminFormCreatesFromAProxmoxTemplate) {
  // A system container template as pveam downloads them: a rootfs tar with its own /sbin/init.
  auto rootfs = ws.dir() / "tpl";
  for (const char* dir : {"bin", "sbin", "proc", "sys", "dev", "etc"})
    fsys::create_directories(rootfs / dir);
  fsys::copy_file("/bin/busybox", rootfs / "bin/busybox");
  for (const char* applet : {"sh", "sleep", "hostname", "echo"})
    fsys::create_symlink("busybox", rootfs / "bin" / applet);
  write_file(rootfs / "sbin/init", "#!/bin/sh\necho booted\nexec sleep 300\n");
  fsys::permissions(rootfs / "sbin/init", fsys::perms::owner_all | fsys::perms::group_read |
                                              fsys::perms::group_exec | fsys::perms::others_read |
                                              fsys::perms::others_exec);
  auto tar = run_command("/usr/bin/tar", {"-C", rootfs.string(), "--numeric-owner", "-cf",
                                          (template_dir() / "mini_1.0_amd64.tar").string(), "."});
  ASSERT_EQ(tar.code, 0) << tar;

  auto created =
      ws.nx({"create", "--image", "local:vztmpl/mini_1.0_amd64.tar", "--name", "sys", "--start"});
  ASSERT_EQ(created.code, 0) << created;
  uint32_t vmid = vmid_of("sys");
  EXPECT_EQ(created.out, std::to_string(vmid) + "\n");
  EXPECT_EQ(ws.nx({"exec", "sys", "hostname"}).out, "sys\n");
  // As Proxmox makes a system container: a writable rootfs and every capability but the five
  // LXC's common.conf drops (CAP_SYS_ADMIN is bit 21, CAP_SYS_TIME bit 25).
  auto writable = ws.nx({"exec", "sys", "sh", "-c", "echo x > /etc/written && echo ok"});
  EXPECT_EQ(writable.out, "ok\n") << writable;
  auto caps =
      ws.nx({"exec", "sys", "sh", "-c",
             "while read k v; do [ \"$k\" = CapBnd: ] && echo $v; done < /proc/1/status; true"});
  ASSERT_EQ(caps.code, 0) << caps;
  unsigned long long bounding = std::stoull(caps.out, nullptr, 16);
  EXPECT_TRUE(bounding & (1ULL << 21)) << caps.out;
  EXPECT_FALSE(bounding & (1ULL << 25)) << caps.out;
  auto config = pct({"config", std::to_string(vmid)});
  EXPECT_FALSE(contains(config.out, "ro=1")) << config;
  EXPECT_TRUE(contains(config.out, "hostname: sys\n")) << config;
  ASSERT_EQ(ws.nx({"delete", "--force", "sys"}).code, 0);
  EXPECT_EQ(templates(), std::vector<std::string>{"mini_1.0_amd64.tar"})
      << "not nexcage's to delete";
  EXPECT_FALSE(fsys::exists(conf(vmid)));

  auto bad = ws.nx({"create", "--image", "local:vztmpl/x.tgz", "--name", "bad"});
  EXPECT_NE(bad.code, 0);
  EXPECT_TRUE(contains(bad.err, "is not a Proxmox template volid")) << bad;
}

TEST_F(PctTest, AdminFormFlagsAreChecked) {
  auto missing = (ws.dir() / "nothing").string();
  auto r = ws.nx({"create", "--image", missing, "--name", "x"});
  EXPECT_NE(r.code, 0);
  EXPECT_TRUE(contains(r.err, "--image " + missing +
                                  " is not a bundle directory, an OCI image "
                                  "layout DIR[:TAG], an OCI archive (.tar), a registry image"))
      << r;
  EXPECT_TRUE(contains(r.err, "no such path, and not a valid registry reference")) << r;
  r = ws.nx({"create", "--memory", "64", "x"});
  EXPECT_NE(r.code, 0);
  EXPECT_TRUE(contains(r.err, "--memory belongs to the admin form")) << r;

  // A bundle whose config.json has the wrong types where the knobs go: the bundle's error, named
  // by its path, not a JSON library's exception; nothing is left.
  auto odd = bundle("odd", {"sleep", "1"}, [](nlohmann::json& spec) {
    spec["linux"]["resources"] = nlohmann::json::array();
    spec["linux"]["namespaces"].push_back({{"type", 1}});
    spec["process"]["cwd"] = 5;
  });
  r = ws.nx({"create", "--image", odd.string(), "--name", "odd", "--memory", "64"});
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_TRUE(contains(
      r.err, "nexcage: " + (odd / "config.json").string() + ": linux.resources must be an object"))
      << r;
  EXPECT_FALSE(contains(r.err, "json.exception")) << r;
  EXPECT_TRUE(ws.ids().empty());
  EXPECT_EQ(pct({"list"}).out, "");
}

// `nexcage run` in the foreground, as `runc run`: the application's stdio are nexcage's own (the
// stdio handoff), its exit status is nexcage's (nexcage-monitor is nexcage's child), signals to
// nexcage reach it, and the Proxmox container is gone afterwards.
TEST_F(PctTest, ForegroundRunPassesStdioSignalsAndTheExitStatus) {
  auto b =
      bundle("fg", {"sh", "-c", "read line; echo \"out $line $GREETING\"; echo err >&2; exit 7"});
  auto r = ws.nx({"run", "--bundle", b.string(), "fg"}, std::string("hello\n"));
  EXPECT_EQ(r.code, 7) << r;
  EXPECT_EQ(r.out, "out hello hello pct\n") << r;
  EXPECT_TRUE(contains(r.err, "err\n")) << r;
  EXPECT_TRUE(ws.ids().empty());
  EXPECT_TRUE(templates().empty());
  EXPECT_EQ(pct({"list"}).out, "");

  auto looping = bundle("fgloop", loop_until_term);
  auto out = ws.dir() / "fgloop.out";
  int runner = spawn_nexcage_with_files(ws.nx_args({"run", "--bundle", looping.string(), "fgloop"}),
                                        "/dev/null", out, ws.dir() / "fgloop.err");
  ASSERT_TRUE(eventually([&] { return contains(read_file(out), "started"); }, 30s))
      << read_file(ws.dir() / "fgloop.err");
  ::kill(runner, SIGTERM);
  EXPECT_EQ(wait_child(runner), 0) << read_file(ws.dir() / "fgloop.err");
  EXPECT_TRUE(ws.ids().empty());
  EXPECT_EQ(pct({"list"}).out, "");

  auto terminal =
      bundle("fgtty", {"true"}, [](nlohmann::json& spec) { spec["process"]["terminal"] = true; });
  r = ws.nx({"run", "--bundle", terminal.string(), "fgtty"});
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_TRUE(contains(r.err, "terminal")) << r;
  EXPECT_TRUE(ws.ids().empty());
  EXPECT_EQ(pct({"list"}).out, "");
}

TEST_F(PctTest, RefusedConfigLeavesNothingBehind) {
  auto b = bundle("bad", {"sleep", "1"},
                  [](nlohmann::json& spec) { spec["process"]["noNewPrivileges"] = true; });
  auto r = ws.nx({"create", "--bundle", b.string(), "bad"});
  EXPECT_NE(r.code, 0);
  EXPECT_TRUE(contains(r.err, "process.noNewPrivileges")) << r;
  EXPECT_TRUE(ws.ids().empty());
  EXPECT_TRUE(templates().empty());
  EXPECT_EQ(pct({"list"}).out, "");
  // Refused before the id was claimed: no `creating` record, so no cleanup touched the backend.
  EXPECT_FALSE(fsys::exists(ws.backend_root("pct"))) << "the id was claimed and cleaned up";
}

TEST_F(PctTest, MissingProgramFailsCreateAndLeavesNothing) {
  auto b = bundle("noexe", {"/no/such/program"});
  auto r = ws.nx({"create", "--bundle", b.string(), "noexe"});
  EXPECT_NE(r.code, 0);
  EXPECT_TRUE(contains(r.err, "stopped before it reached the created state")) << r;
  EXPECT_TRUE(contains(r.err, "/no/such/program")) << r;
  EXPECT_TRUE(ws.ids().empty());
  EXPECT_TRUE(templates().empty());
  EXPECT_EQ(pct({"list"}).out, "");
}

TEST_F(PctTest, AProcessInsideACreatedContainerCannotStartIt) {
  if (::access(forge_binary, X_OK) != 0)
    GTEST_SKIP() << "the forge-start-signal helper is not built";
  // A copy of the busybox rootfs with the (static) helper in it.
  auto rootfs = ws.dir() / "rootfs-forge";
  fsys::copy(busybox_rootfs(), rootfs,
             fsys::copy_options::recursive | fsys::copy_options::copy_symlinks);
  fsys::copy_file(forge_binary, rootfs / "forge");
  ::chmod((rootfs / "forge").c_str(), 0755);
  auto b = bundle("inside", loop_until_term,
                  [&](nlohmann::json& spec) { spec["root"]["path"] = rootfs.string(); });
  // The caller's stdout is a file here, so the process's output can be watched.
  auto out = ws.dir() / "inside.out";
  int creator = spawn_nexcage_with_files(ws.nx_args({"create", "--bundle", b.string(), "inside"}),
                                         "/dev/null", out, ws.dir() / "inside.err");
  ASSERT_EQ(wait_child(creator), 0) << read_file(ws.dir() / "inside.err");
  int pid = init_pid(vmid_of("inside"));
  auto forged = ws.nx({"exec", "inside", "/forge"});
  ASSERT_EQ(forged.code, 0) << forged;
  EXPECT_EQ(forged.out, "forged 2 start signal(s)\n") << "both forgeries reached nexcage-init";
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(ws.state("inside").value("status", ""), "created");
  EXPECT_EQ(read_file("/proc/" + std::to_string(pid) + "/comm"), "nexcage-waiting\n");
  EXPECT_FALSE(contains(read_file(out), "started"));
  // The host's start still works.
  ASSERT_EQ(ws.nx({"start", "inside"}).code, 0);
  EXPECT_EQ(ws.state("inside").value("status", ""), "running");
  EXPECT_TRUE(eventually([&] { return contains(read_file(out), "started"); }));
  ASSERT_EQ(ws.nx({"delete", "--force", "inside"}).code, 0);
}

TEST_F(PctTest, CommandsRefuseAVmidTheRecordDoesNotOwn) {
  auto b = bundle("own", loop_until_term);
  for (const char* id : {"victim", "x"}) {
    ASSERT_EQ(ws.nx({"create", "--bundle", b.string(), id}).code, 0);
    ASSERT_EQ(ws.nx({"start", id}).code, 0);
  }
  uint32_t victim = vmid_of("victim"), x = vmid_of("x");
  int victim_pid = ws.state("victim").value("pid", 0);
  auto victim_config = pct({"config", std::to_string(victim)}).out;
  auto map = read_json(vmid_map());
  auto edited = map;
  edited["x"] = victim;  // an edited map: x now names the victim's VMID
  write_file(vmid_map(), edited.dump());

  const std::string refused =
      "VMID " + std::to_string(victim) + " is not the Proxmox container nexcage created for x";
  std::vector<std::vector<std::string>> commands{{"exec", "x", "sh", "-c", "kill 1"},
                                                 {"kill", "x", "TERM"},
                                                 {"kill", "x", "KILL"},
                                                 {"kill", "--all", "x", "TERM"},
                                                 {"pause", "x"}};
  for (const auto& command : commands) {
    auto r = ws.nx(command);
    EXPECT_NE(r.code, 0) << r;
    EXPECT_TRUE(contains(r.err, refused)) << r;
  }
  auto update = ws.nx({"update", "--resources", "-", "x"}, R"({"memory": {"limit": 33554432}})");
  EXPECT_EQ(update.code, 1) << update;
  EXPECT_TRUE(contains(update.err, refused)) << update;
  // resume needs a paused x: pause it while the map is right, then edit it again.
  write_file(vmid_map(), map.dump());
  ASSERT_EQ(ws.nx({"pause", "x"}).code, 0);
  write_file(vmid_map(), edited.dump());
  auto resume = ws.nx({"resume", "x"});
  EXPECT_EQ(resume.code, 1) << resume;
  EXPECT_TRUE(contains(resume.err, refused)) << resume;

  // The victim is untouched: same init, running, not frozen, same config.
  EXPECT_EQ(ws.state("victim").value("status", ""), "running");
  EXPECT_EQ(ws.state("victim").value("pid", 0), victim_pid);
  EXPECT_EQ(pct({"config", std::to_string(victim)}).out, victim_config);
  EXPECT_EQ(pct({"status", std::to_string(victim)}).out, "status: running\n");

  write_file(vmid_map(), map.dump());
  ASSERT_EQ(ws.nx({"resume", "x"}).code, 0);
  EXPECT_EQ(vmid_of("x"), x);
  ASSERT_EQ(ws.nx({"delete", "--force", "x"}).code, 0);
  ASSERT_EQ(ws.nx({"delete", "--force", "victim"}).code, 0);
}

TEST_F(PctTest, SignalsGoToTheContainersInitWhateverPidTheRecordNames) {
  auto b = bundle("pidx", loop_until_term);
  ASSERT_EQ(ws.nx({"create", "--bundle", b.string(), "pidx"}).code, 0);
  ASSERT_EQ(ws.nx({"start", "pidx"}).code, 0);
  uint32_t vmid = vmid_of("pidx");
  // An unrelated host process, and a record edited to name it (pid and start time).
  pid_t bystander = ::fork();
  if (bystander == 0) {
    ::execl("/bin/sleep", "sleep", "300", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ASSERT_GT(bystander, 0);
  std::optional<nexcage::process::ProcStat> stat;
  ASSERT_TRUE(
      eventually([&] { return (stat = nexcage::process::read_proc_stat(bystander)).has_value(); }));
  auto state_file = ws.root() / "pidx" / "state.json";
  auto record = read_json(state_file);
  auto edited = record;
  edited["pid"] = bystander;
  edited["init_start_time"] = stat->start_time;
  write_file(state_file, edited.dump());

  // Every signal goes to the pid LXC names for the VMID the mark proves: never the record's.
  auto paused = ws.nx({"pause", "pidx"});
  EXPECT_EQ(paused.code, 0) << paused;
  EXPECT_EQ(ws.nx({"resume", "pidx"}).code, 0);
  auto killed = ws.nx({"kill", "pidx", "TERM"});
  EXPECT_EQ(killed.code, 0) << killed;
  EXPECT_TRUE(eventually([&] { return init_pid(vmid) == 0; }))
      << "the container's init got the TERM";
  EXPECT_TRUE(process_exists(bystander)) << "the host process was signalled";
  ::kill(bystander, SIGKILL);
  ::waitpid(bystander, nullptr, 0);
  EXPECT_TRUE(ws.wait_for_status("pidx", "stopped"));
  ASSERT_EQ(ws.nx({"delete", "pidx"}).code, 0);
}

TEST_F(PctTest, TwoStateRootsShareATemplateAndKeepTheirContainersApart) {
  // The same id in two roots, from the same rootfs: one template, two users.
  auto b = bundle("shared", loop_until_term);
  ASSERT_EQ(ws.nx({"create", "--bundle", b.string(), "same"}).code, 0);
  auto created = in_second_root({"create", "--bundle", b.string(), "same"});
  ASSERT_EQ(created.code, 0) << created;
  uint32_t in_a = vmid_of("same");
  auto map_b_file = second_root() / ".backends/pct/vmids.json";
  auto map_b = read_json(map_b_file);
  uint32_t in_b = map_b["same"].get<uint32_t>();
  EXPECT_NE(in_a, in_b);
  EXPECT_EQ(templates().size(), 1u);

  // Root B's map edited to name root A's container of the same id: refused, A untouched.
  ASSERT_EQ(ws.nx({"start", "same"}).code, 0);
  int pid_a = ws.state("same").value("pid", 0);
  write_file(map_b_file, nlohmann::json{{"same", in_a}}.dump());
  auto exec = in_second_root({"exec", "same", "sh", "-c", "kill 1"});
  EXPECT_NE(exec.code, 0) << exec;
  EXPECT_TRUE(contains(exec.err,
                       "is not the Proxmox container nexcage created for same in this state root"))
      << exec;
  EXPECT_EQ(ws.state("same").value("status", ""), "running");
  EXPECT_EQ(ws.state("same").value("pid", 0), pid_a);
  write_file(map_b_file, map_b.dump());

  // Deleting A's container keeps the template B's still uses; B's container still works.
  ASSERT_EQ(ws.nx({"delete", "--force", "same"}).code, 0);
  EXPECT_EQ(templates().size(), 1u) << "root B still uses the template";
  ASSERT_EQ(in_second_root({"start", "same"}).code, 0);
  auto hello = in_second_root({"exec", "same", "sh", "-c", "echo $GREETING"});
  EXPECT_EQ(hello.out, "hello pct\n") << hello;
  ASSERT_EQ(in_second_root({"delete", "--force", "same"}).code, 0);
  EXPECT_TRUE(templates().empty()) << "the last user is gone";
  EXPECT_EQ(pct({"list"}).out, "");
}

}  // namespace
}  // namespace e2e

namespace e2e {
namespace {

// The GUI's Shutdown, onboot's stop at host shutdown and HA run `pct shutdown`, which sends
// lxc.signal.halt to the application as pid 1. Pid 1 gets only the signals it handles (SIGKILL
// from outside excepted), so the stop signal decides whether a shutdown works or times out.
TEST_F(PctTest, ProxmoxShutdownSendsTheContainersStopSignal) {
  // The default stop signal is SIGTERM (never LXC's SIGPWR): a shell that traps TERM ends.
  auto trapping = bundle("trap", loop_until_term);
  ASSERT_EQ(ws.nx({"create", "--bundle", trapping.string(), "trap"}).code, 0);
  ASSERT_EQ(ws.nx({"start", "trap"}).code, 0);
  auto vm = std::to_string(vmid_of("trap"));
  EXPECT_TRUE(contains(read_file(conf(vmid_of("trap"))), "lxc.signal.halt: SIGTERM\n"));
  auto down = pct({"shutdown", vm, "--timeout", "20"});
  EXPECT_EQ(down.code, 0) << down;
  EXPECT_TRUE(ws.wait_for_status("trap", "stopped"));

  // busybox sleep handles no signal: its image's StopSignal SIGKILL is what stops it.
  auto sleeping = bundle("sleep", {"sleep", "300"}, [](nlohmann::json& spec) {
    spec["annotations"]["org.opencontainers.image.stopSignal"] = "SIGKILL";
  });
  ASSERT_EQ(ws.nx({"create", "--bundle", sleeping.string(), "sleep"}).code, 0);
  ASSERT_EQ(ws.nx({"start", "sleep"}).code, 0);
  vm = std::to_string(vmid_of("sleep"));
  EXPECT_TRUE(contains(read_file(conf(vmid_of("sleep"))), "lxc.signal.halt: SIGKILL\n"));
  down = pct({"shutdown", vm, "--timeout", "20"});
  EXPECT_EQ(down.code, 0) << down;
  EXPECT_TRUE(ws.wait_for_status("sleep", "stopped"));

  // Without it, SIGTERM is ignored and the shutdown times out, as `docker stop` would wait.
  auto deaf = bundle("deaf", {"sleep", "300"});
  ASSERT_EQ(ws.nx({"create", "--bundle", deaf.string(), "deaf"}).code, 0);
  ASSERT_EQ(ws.nx({"start", "deaf"}).code, 0);
  down = pct({"shutdown", std::to_string(vmid_of("deaf")), "--timeout", "1"});
  EXPECT_NE(down.code, 0) << down;
  EXPECT_EQ(ws.state("deaf").value("status", ""), "running");
}

}  // namespace
}  // namespace e2e
