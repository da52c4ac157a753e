// create --image from a registry: Debian's docker-registry on 127.0.0.1 (plain, and TLS with
// htpasswd auth), an image pushed with skopeo, pulled by nexcage into a private image store and
// run with runc, crun and the pct stand-in.
#include <memory>

#include "images.hpp"
#include "pct_fixture.hpp"

namespace e2e {

namespace {

// Registries and the pushed image, shared by the suite (starting them costs seconds).
struct Served {
  std::filesystem::path dir;
  std::unique_ptr<Registry> plain, tls;
  std::string digest;  // of the app image, the same on both
  std::string plain_ref, tls_ref;
};

Served* served = nullptr;

Served& serve() {
  if (served != nullptr) return *served;
  served = new Served;
  served->dir =
      std::filesystem::temp_directory_path() / ("nexcage-registry-" + std::to_string(::getpid()));
  std::filesystem::create_directories(served->dir);
  auto layout = make_app_image_layout(served->dir);
  served->plain = std::make_unique<Registry>(served->dir / "plain", Registry::Kind::plain);
  served->tls = std::make_unique<Registry>(served->dir / "tls", Registry::Kind::tls_with_auth);
  served->digest = served->plain->push(layout, "app", "test/app:1");
  EXPECT_EQ(served->tls->push(layout, "app", "test/app:1"), served->digest);
  served->plain_ref = served->plain->host() + "/test/app:1";
  served->tls_ref = served->tls->host() + "/test/app:1";
  return *served;
}

// The registries stop with the test program.
struct StopRegistries : ::testing::Environment {
  void TearDown() override {
    if (served == nullptr) return;
    std::error_code ec;
    auto dir = served->dir;
    delete served;
    served = nullptr;
    std::filesystem::remove_all(dir, ec);
  }
};
const auto* const stop_registries = ::testing::AddGlobalTestEnvironment(new StopRegistries);

// A config naming the backends, a private image store and how to reach the registries: the
// plain one as insecure, the TLS one through its CA (unless `trust_tls` is false).
nlohmann::json images_config(const Workspace& ws, bool trust_tls = true) {
  auto& s = serve();
  auto certs = ws.dir() / "certs.d";
  std::filesystem::create_directories(certs / s.tls->host());
  std::filesystem::copy_file(s.tls->ca_dir() / "ca.crt", certs / s.tls->host() / "ca.crt",
                             std::filesystem::copy_options::overwrite_existing);
  nlohmann::json images = {{"store", (ws.dir() / "images").string()},
                           {"insecure_registries", {s.plain->host()}}};
  if (trust_tls) images["certs_dir"] = certs.string();
  return images;
}

void use_images_config(const Workspace& ws, bool trust_tls = true) {
  auto config = nlohmann::json::parse(read_file(ws.config()));
  config["images"] = images_config(ws, trust_tls);
  write_file(ws.config(), config.dump());
}

std::size_t blob_files(const std::filesystem::path& store) {
  std::size_t n = 0;
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator(store / "blobs/sha256", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec))
    ++n;
  return n;
}

std::string registry_skip() {
  if (auto reason = registry_skip_reason(); !reason.empty()) return reason;
  return "";
}

}  // namespace

class RegistryImage : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped()) return;
    if (auto reason = registry_skip(); !reason.empty()) GTEST_SKIP() << reason;
    use_images_config(ws);
  }
};

// The image config reaches the process as podman would set it up, the digest is recorded, and a
// second container of the same image fetches no blob.
TEST_P(RegistryImage, RunsWithTheImagesConfigAndPullsOnce) {
  auto& s = serve();
  auto name = id("app");
  int fetched_before = s.plain->blob_fetches();
  auto created =
      ws.nx({"--backend", backend(), "create", "--image", s.plain_ref, "--name", name, "--start"});
  ASSERT_EQ(created.code, 0) << created;
  EXPECT_EQ(created.out, name + "\n");
  EXPECT_GT(s.plain->blob_fetches(), fetched_before);
  // Labels, stop signal, the digest and the reference as annotations.
  auto state = ws.state(name);
  ASSERT_FALSE(state.is_null());
  EXPECT_EQ(state["status"], "running");
  auto annotations = state["annotations"];
  EXPECT_EQ(annotations["org.nexcage.image.digest"], s.digest);
  EXPECT_EQ(annotations["org.nexcage.image.ref"], s.plain_ref);
  EXPECT_EQ(annotations["org.example.team"], "web");
  EXPECT_EQ(annotations["org.opencontainers.image.stopSignal"], "SIGINT");
  auto list = nlohmann::json::parse(ws.nx({"list", "--format", "json"}).out);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["annotations"]["org.nexcage.image.digest"], s.digest);
  // The process, as it printed its view into the bundle's log (not the admin's terminal): user
  // app with its group memberships, cwd, env, home and the volume.
  auto log = ws.root() / ".bundles" / name / "output.log";
  EXPECT_TRUE(eventually([&] { return contains(read_file(log), "ready"); })) << read_file(log);
  EXPECT_EQ(read_file(log),
            "1000\n1000 2000\n/srv/app\nfrom the registry\n/home/app\nvolume\nready\n");
  EXPECT_TRUE(contains(created.err, "the image exposes 80/tcp: nexcage publishes no ports"))
      << created;

  // A second container of the same image: no request at all (podman's --pull missing), and with
  // --pull always one manifest request and no blob.
  int fetched_after_first = s.plain->blob_fetches();
  int requests_after_first = s.plain->requests();
  auto second = ws.nx({"--backend", backend(), "create", "--image", "docker://" + s.plain_ref,
                       "--name", name + "-2", "--", "echo", "replaced"});
  ASSERT_EQ(second.code, 0) << second;
  EXPECT_EQ(s.plain->requests(), requests_after_first);
  auto third = ws.nx({"--backend", backend(), "create", "--image", s.plain_ref, "--name",
                      name + "-3", "--pull", "always"});
  ASSERT_EQ(third.code, 0) << third;
  EXPECT_GT(s.plain->requests(), requests_after_first);
  EXPECT_EQ(s.plain->blob_fetches(), fetched_after_first);
  ASSERT_EQ(ws.nx({"delete", "--force", name + "-3"}).code, 0);
  auto config =
      nlohmann::json::parse(read_file(ws.root() / ".bundles" / (name + "-2") / "config.json"));
  EXPECT_EQ(config["process"]["args"],
            nlohmann::json::parse(R"(["/bin/sh","-c","echo","replaced"])"));

  // image ls names both containers; neither rm nor prune removes an image in use.
  auto ls = nlohmann::json::parse(ws.nx({"image", "ls", "--format", "json"}).out);
  ASSERT_EQ(ls.size(), 1u);
  EXPECT_EQ(ls[0]["digest"], s.digest);
  EXPECT_EQ(ls[0]["references"], nlohmann::json::array({s.plain_ref}));
  EXPECT_EQ(ls[0]["containers"].size(), 2u);
  EXPECT_GT(ls[0]["size"].get<uint64_t>(), 500000u);  // busybox-static
  auto rm = ws.nx({"image", "rm", s.plain_ref});
  EXPECT_EQ(rm.code, 1) << rm;
  EXPECT_TRUE(contains(rm.err, "is used by")) << rm;
  EXPECT_EQ(ws.nx({"image", "prune"}).out, "");
  EXPECT_EQ(ws.nx({"image", "ls", "-q"}).out, s.digest + "\n");

  // Once the containers are gone, prune removes the image and every blob.
  ASSERT_EQ(ws.nx({"delete", "--force", name}).code, 0);
  ASSERT_EQ(ws.nx({"delete", "--force", name + "-2"}).code, 0);
  EXPECT_FALSE(std::filesystem::exists(ws.root() / ".bundles" / name));
  auto pruned = ws.nx({"image", "prune"});
  EXPECT_EQ(pruned.code, 0) << pruned;
  EXPECT_EQ(pruned.out, s.digest + "\n");
  EXPECT_EQ(ws.nx({"image", "ls", "-q"}).out, "");
  EXPECT_EQ(blob_files(ws.dir() / "images"), 0u);
}

INSTANTIATE_TEST_SUITE_P(Backends, RegistryImage, ::testing::Values("runc", "crun"),
                         [](const auto& info) { return info.param; });

class Registries : public NoBackendTest {
 protected:
  void SetUp() override {
    NoBackendTest::SetUp();
    if (IsSkipped()) return;
    if (auto reason = registry_skip(); !reason.empty()) GTEST_SKIP() << reason;
    if (auto reason = skip_reason("runc"); !reason.empty()) GTEST_SKIP() << reason;
    use_images_config(ws);
  }

  // A create that must fail with `message`, leaving no container, bundle or blob.
  void refused(const std::vector<std::string>& env, const std::string& image,
               const std::string& message) {
    auto blobs = blob_files(ws.dir() / "images");
    auto r = ws.nx_env(env, {"create", "--image", image, "--name", "refused"});
    EXPECT_EQ(r.code, 1) << r;
    EXPECT_TRUE(contains(r.err, message)) << r;
    EXPECT_EQ(r.out, "");
    EXPECT_TRUE(ws.ids().empty());
    EXPECT_FALSE(std::filesystem::exists(ws.root() / ".bundles" / "refused"));
    EXPECT_EQ(blob_files(ws.dir() / "images"), blobs);
  }
};

TEST_F(Registries, RefusalsSayWhatTheRegistryAnsweredAndLeaveNothing) {
  auto& s = serve();
  refused({}, "docker://" + s.plain->host() + "/Test/App:1",
          "is not an image reference: the repository name must be lower case");
  refused({}, s.plain->host() + "/test/app:nope",
          "registry " + s.plain->host() + " has no " + s.plain->host() +
              "/test/app:nope: manifest unknown");
  refused({}, s.plain->host() + "/test/missing:1",
          "registry " + s.plain->host() + " has no " + s.plain->host() + "/test/missing:1");
  // TLS with auth: no credentials, then a wrong password.
  refused({}, s.tls_ref, "registry " + s.tls->host() + " refused " + s.tls_ref + ": unauthorized");
  auto wrong = s.tls->write_auth_file(ws.dir() / "wrong-auth.json", "not-the-password");
  refused({"REGISTRY_AUTH_FILE=" + wrong.string()}, s.tls_ref,
          "registry " + s.tls->host() + " refused " + s.tls_ref + ": unauthorized");
  // A registry nothing listens on.
  refused({}, "127.0.0.1:1/test/app:1", "registry 127.0.0.1:1 is unreachable");
  // --pull never takes only what the store has; --pull is for registry images only.
  auto never = ws.nx({"create", "--image", s.plain_ref, "--name", "refused", "--pull", "never"});
  EXPECT_EQ(never.code, 1) << never;
  EXPECT_TRUE(contains(never.err, s.plain_ref + " is not in the image store")) << never;
  auto misplaced = ws.nx({"create", "--image", ws.bundle("b", {"true"}).string(), "--name",
                          "refused", "--pull", "always"});
  EXPECT_EQ(misplaced.code, 1) << misplaced;
  EXPECT_TRUE(contains(misplaced.err, "--pull is for registry images")) << misplaced;
  EXPECT_TRUE(ws.ids().empty());
}

TEST_F(Registries, TlsIsVerifiedAgainstTheConfiguredCertificates) {
  auto& s = serve();
  auto auth = s.tls->write_auth_file(ws.dir() / "auth.json", Registry::password);
  const std::vector<std::string> env{"REGISTRY_AUTH_FILE=" + auth.string()};
  // Without its CA the registry's certificate is not trusted.
  use_images_config(ws, false);
  auto untrusted = ws.nx_env(env, {"create", "--image", s.tls_ref, "--name", "tls"});
  EXPECT_EQ(untrusted.code, 1) << untrusted;
  EXPECT_TRUE(contains(untrusted.err, "registry " + s.tls->host() +
                                          " failed TLS verification: x509: certificate signed by "
                                          "unknown authority"))
      << untrusted;
  EXPECT_TRUE(ws.ids().empty());
  // With it, and the right password, the pull works.
  use_images_config(ws, true);
  auto created =
      ws.nx_env(env, {"--backend", "runc", "create", "--image", s.tls_ref, "--name", "tls"});
  ASSERT_EQ(created.code, 0) << created;
  EXPECT_EQ(ws.state("tls")["annotations"]["org.nexcage.image.digest"], s.digest);
  // An image the store has is not fetched again, however it is named.
  auto again = ws.nx_env(env, {"--backend", "runc", "create", "--image",
                               s.tls->host() + "/test/app@" + s.digest, "--name", "tls2"});
  EXPECT_EQ(again.code, 0) << again;
  // rm by digest prefix refuses while in use, works once the containers are gone.
  auto prefix = s.digest.substr(7, 12);
  EXPECT_EQ(ws.nx({"image", "rm", prefix}).code, 1);
  ws.nx({"delete", "--force", "tls"});
  ws.nx({"delete", "--force", "tls2"});
  auto rm = ws.nx({"image", "rm", prefix});
  EXPECT_EQ(rm.code, 0) << rm;
  EXPECT_EQ(rm.out, s.digest + "\n");
  auto missing = ws.nx({"image", "rm", prefix});
  EXPECT_EQ(missing.code, 1);
  EXPECT_TRUE(contains(missing.err, "no image \"" + prefix + "\"")) << missing;
}

// Creates racing for an image the store lacks: each asks the registry, one copies under the
// store's lock, the others find it there; every create succeeds and each blob is fetched once.
TEST_F(Registries, ConcurrentCreatesPullOnce) {
  auto& s = serve();
  auto layout = make_app_image_layout(ws.dir() / "race");
  auto ref = s.plain->host() + "/test/race:1";
  s.plain->push(layout, "app", "test/race:1");
  int fetched = s.plain->blob_fetches();
  // A fresh state root too: the creates also race to make and mark it.
  std::vector<int> pids;
  for (int i = 0; i < 4; ++i)
    pids.push_back(spawn_nexcage_with_files(ws.nx_args({"--backend", "runc", "create", "--image",
                                                        ref, "--name", "race" + std::to_string(i)}),
                                            "/dev/null",
                                            ws.dir() / ("race" + std::to_string(i) + ".out"),
                                            ws.dir() / ("race" + std::to_string(i) + ".err")));
  for (std::size_t i = 0; i < pids.size(); ++i)
    EXPECT_EQ(wait_child(pids[i], 120s), 0)
        << read_file(ws.dir() / ("race" + std::to_string(i) + ".err"));
  EXPECT_EQ(ws.ids().size(), 4u);
  // The image's config and its one layer.
  EXPECT_EQ(s.plain->blob_fetches() - fetched, 2);
  auto ls = nlohmann::json::parse(ws.nx({"image", "ls", "--format", "json"}).out);
  ASSERT_EQ(ls.size(), 1u);
  EXPECT_EQ(ls[0]["containers"].size(), 4u);
}

TEST_F(Registries, ProxmoxKnobsNeedThePctBackend) {
  auto& s = serve();
  auto r = ws.nx({"--backend", "runc", "create", "--image", s.plain_ref, "--name", "k", "--storage",
                  "local-lvm"});
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_TRUE(contains(r.err,
                       "--storage is for Proxmox containers, but this one goes to runc "
                       "(--backend)"))
      << r;
  EXPECT_TRUE(ws.ids().empty());
}

// With pct, the registry image becomes a Proxmox application container, mapped the same way.
class PctRegistryImage : public PctTest {
 protected:
  void SetUp() override {
    PctTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    if (auto reason = registry_skip(); !reason.empty()) GTEST_SKIP() << reason;
    use_images_config(ws);
  }
};

TEST_F(PctRegistryImage, BecomesAProxmoxApplicationContainer) {
  auto& s = serve();
  auto created = ws.nx({"create", "--image", s.plain_ref, "--name", "web", "--start"});
  ASSERT_EQ(created.code, 0) << created;
  auto vmid = vmid_of("web");
  ASSERT_NE(vmid, 0u);
  EXPECT_EQ(created.out, std::to_string(vmid) + "\n");
  EXPECT_EQ(ws.state("web")["annotations"]["org.nexcage.image.digest"], s.digest);
  // exec starts from the container's process (lxc-attach cannot add groups: those are the
  // init's, in the Proxmox config).
  auto view = ws.nx({"exec", "web", "/bin/sh", "-c",
                     "id -u; id -g; pwd; echo \"$GREETING\"; echo \"$HOME\"; test -d /data && "
                     "echo volume"});
  EXPECT_EQ(view.code, 0) << view;
  EXPECT_EQ(view.out, "1000\n1000\n/srv/app\nfrom the registry\n/home/app\nvolume\n") << view;
  auto conf = read_file(this->conf(vmid));
  EXPECT_TRUE(contains(conf, "lxc.init.groups: 2000")) << conf;
  EXPECT_TRUE(contains(conf, "lxc.init.uid: 1000")) << conf;
}

}  // namespace e2e
