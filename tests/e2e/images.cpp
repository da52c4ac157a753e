#include "images.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>

namespace e2e {

namespace fsys = std::filesystem;

namespace {

const std::string umoci = "/usr/bin/umoci";
const std::string skopeo = "/usr/bin/skopeo";
const std::string registry_binary = "/usr/bin/docker-registry";
const std::string openssl = "/usr/bin/openssl";
const std::string htpasswd = "/usr/bin/htpasswd";

void ok(const Result& r, const std::string& what) {
  if (r.code != 0) throw std::runtime_error(what + " failed: " + r.err);
}

void busybox_into(const fsys::path& rootfs, std::initializer_list<const char*> applets) {
  fsys::create_directories(rootfs / "bin");
  fsys::copy_file("/bin/busybox", rootfs / "bin/busybox", fsys::copy_options::overwrite_existing);
  for (const char* applet : applets) {
    std::error_code ec;
    fsys::create_symlink("busybox", rootfs / "bin" / applet, ec);
  }
}

std::string base64(const std::string& in) {
  static const char* table = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    unsigned v = (static_cast<unsigned char>(in[i]) << 16) |
                 (static_cast<unsigned char>(in[i + 1]) << 8) |
                 static_cast<unsigned char>(in[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out += table[(v >> s) & 63];
  }
  if (i < in.size()) {
    unsigned v = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) v |= static_cast<unsigned char>(in[i + 1]) << 8;
    out += table[(v >> 18) & 63];
    out += table[(v >> 12) & 63];
    out += i + 1 < in.size() ? table[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

}  // namespace

fsys::path make_image_layout(const fsys::path& dir) {
  auto layout = dir / "layout", unpacked = dir / "unpacked";
  ok(run_command(umoci, {"init", "--layout", layout.string()}), "umoci init");
  ok(run_command(umoci, {"new", "--image", layout.string() + ":app"}), "umoci new");
  ok(run_command(umoci, {"unpack", "--image", layout.string() + ":app", unpacked.string()}),
     "umoci unpack");
  busybox_into(unpacked / "rootfs", {"sh", "sleep", "hostname", "pwd", "id"});
  ok(run_command(umoci, {"repack", "--image", layout.string() + ":app", unpacked.string()}),
     "umoci repack");
  ok(run_command(umoci, {"config", "--image", layout.string() + ":app", "--config.entrypoint",
                         "/bin/sleep", "--config.cmd", "300", "--config.env",
                         "GREETING=from the image", "--config.workingdir", "/tmp"}),
     "umoci config");
  return layout;
}

fsys::path make_app_image_layout(const fsys::path& dir) {
  auto layout = dir / "app-layout", unpacked = dir / "app-unpacked";
  ok(run_command(umoci, {"init", "--layout", layout.string()}), "umoci init");
  ok(run_command(umoci, {"new", "--image", layout.string() + ":app"}), "umoci new");
  ok(run_command(umoci, {"unpack", "--image", layout.string() + ":app", unpacked.string()}),
     "umoci unpack");
  auto rootfs = unpacked / "rootfs";
  busybox_into(rootfs, {"sh", "sleep", "id", "pwd", "echo", "cat", "ls", "test", "env"});
  fsys::create_directories(rootfs / "etc");
  write_file(rootfs / "etc/passwd",
             "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\n");
  write_file(rootfs / "etc/group", "root:x:0:\napp:x:1000:\nstaff:x:2000:app\n");
  fsys::create_directories(rootfs / "home/app");
  ok(run_command(umoci, {"repack", "--image", layout.string() + ":app", unpacked.string()}),
     "umoci repack");
  ok(run_command(umoci,
                 {"config",
                  "--image",
                  layout.string() + ":app",
                  "--config.user",
                  "app",
                  "--config.entrypoint",
                  "/bin/sh",
                  "--config.entrypoint",
                  "-c",
                  "--config.cmd",
                  "id -u; id -G; pwd; echo \"$GREETING\"; echo \"$HOME\"; test -d /data && echo "
                  "volume; echo ready; exec sleep 300",
                  "--config.env",
                  "GREETING=from the registry",
                  "--config.workingdir",
                  "/srv/app",
                  "--config.volume",
                  "/data",
                  "--config.exposedports",
                  "80/tcp",
                  "--config.stopsignal",
                  "SIGINT",
                  "--config.label",
                  "org.example.team=web"}),
     "umoci config");
  return layout;
}

std::string registry_skip_reason() {
  if (auto reason = skip_reason(""); !reason.empty()) return reason;
  for (const auto& tool : {umoci, skopeo, registry_binary, openssl, htpasswd})
    if (::access(tool.c_str(), X_OK) != 0)
      return tool + " is missing (scripts/install-deps.sh installs it)";
  return "";
}

Registry::Registry(const fsys::path& dir, Kind kind) : dir_(dir), kind_(kind) {
  fsys::create_directories(dir_ / "data");
  int port = free_port();
  host_ = "127.0.0.1:" + std::to_string(port);
  std::ostringstream config;
  config << "version: 0.1\n"
            "log: {level: warn, accesslog: {disabled: false}}\n"
            "storage: {filesystem: {rootdirectory: "
         << (dir_ / "data").string()
         << "}, delete: {enabled: true}}\n"
            "http:\n  addr: "
         << host_ << "\n  secret: nexcage-test-only\n";
  if (kind == Kind::tls_with_auth) {
    auto ca = ca_dir();
    fsys::create_directories(ca);
    ok(run_command(openssl, {"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                             (dir_ / "ca.key").string(), "-out", (ca / "ca.crt").string(), "-days",
                             "2", "-subj", "/CN=nexcage-test-ca"}),
       "openssl ca");
    ok(run_command(openssl, {"req", "-newkey", "rsa:2048", "-nodes", "-keyout",
                             (dir_ / "server.key").string(), "-out", (dir_ / "server.csr").string(),
                             "-subj", "/CN=127.0.0.1"}),
       "openssl csr");
    write_file(dir_ / "san.ext", "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
    ok(run_command(openssl, {"x509", "-req", "-in", (dir_ / "server.csr").string(), "-CA",
                             (ca / "ca.crt").string(), "-CAkey", (dir_ / "ca.key").string(),
                             "-CAcreateserial", "-out", (dir_ / "server.crt").string(), "-days",
                             "2", "-extfile", (dir_ / "san.ext").string()}),
       "openssl sign");
    // bcrypt only; and written before the registry starts, which would otherwise invent a user.
    auto hashed = run_command(htpasswd, {"-Bbn", user, password});
    ok(hashed, "htpasswd");
    write_file(dir_ / "htpasswd", hashed.out);
    config << "  tls: {certificate: " << (dir_ / "server.crt").string()
           << ", key: " << (dir_ / "server.key").string() << "}\n"
           << "auth: {htpasswd: {realm: nexcage-test, path: " << (dir_ / "htpasswd").string()
           << "}}\n";
  }
  write_file(dir_ / "config.yml", config.str());
  pid_ =
      spawn_program(registry_binary, {"docker-registry", "serve", (dir_ / "config.yml").string()},
                    "/dev/null", dir_ / "access.log", dir_ / "registry.err");
  if (!eventually([&] { return accepts(port); }, 20s))
    throw std::runtime_error("docker-registry did not listen on " + host_ + ": " +
                             read_file(dir_ / "registry.err"));
}

Registry::~Registry() {
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    wait_child(pid_, 10s);
  }
}

fsys::path Registry::write_auth_file(const fsys::path& file, const std::string& pass) const {
  nlohmann::json auth = {{"auths", {{host_, {{"auth", base64(std::string(user) + ":" + pass)}}}}}};
  write_file(file, auth.dump());
  return file;
}

std::string Registry::push(const fsys::path& layout, const std::string& tag,
                           const std::string& repo) const {
  auto digest_file = dir_ / "pushed.digest";
  std::vector<std::string> args{"copy", "-q", "--digestfile", digest_file.string()};
  if (kind_ == Kind::plain) {
    args.push_back("--dest-tls-verify=false");
  } else {
    args.insert(args.end(), {"--dest-cert-dir", ca_dir().string(), "--dest-creds",
                             std::string(user) + ":" + password});
  }
  args.push_back("oci:" + layout.string() + ":" + tag);
  args.push_back("docker://" + host_ + "/" + repo);
  ok(run_command(skopeo, args, std::nullopt, 120s), "skopeo push to " + host_);
  return read_file(digest_file);
}

int Registry::requests() const {
  std::ifstream log(dir_ / "access.log");
  int n = 0;
  for (std::string line; std::getline(log, line);)
    if (contains(line, "\"GET ") || contains(line, "\"HEAD ")) ++n;
  return n;
}

int Registry::blob_fetches() const {
  std::ifstream log(dir_ / "access.log");
  static const std::regex blob_get(R"re("GET /v2/[^ ]+/blobs/sha256:[0-9a-f]{64} HTTP)re");
  int n = 0;
  for (std::string line; std::getline(log, line);)
    if (std::regex_search(line, blob_get)) ++n;
  return n;
}

}  // namespace e2e
