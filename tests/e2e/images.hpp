#pragma once
// Images for the end-to-end tests: OCI image layouts built offline with umoci from busybox-static,
// and Debian's docker-registry (distribution 2.8) serving them on 127.0.0.1, plain or with TLS from
// a test CA and htpasswd auth, its access log kept so a test can count blob fetches.
#include <filesystem>
#include <string>

#include "harness.hpp"

namespace e2e {

// An OCI image layout with one tag, "app": busybox, entrypoint sleep, env and a working directory.
std::filesystem::path make_image_layout(const std::filesystem::path& dir);

// An OCI image layout with one tag, "app", that uses every image config field nexcage maps:
// user "app" (1000:1000, also in group "staff" 2000), Entrypoint /bin/sh -c, Cmd printing the
// process's view, Env, WorkingDir /srv/app, Volume /data, ExposedPorts 80/tcp, StopSignal
// SIGINT and a label.
std::filesystem::path make_app_image_layout(const std::filesystem::path& dir);

// Why the registry tests cannot run here, or "".
std::string registry_skip_reason();

class Registry {
 public:
  enum class Kind { plain, tls_with_auth };
  static constexpr const char* user = "tester";
  static constexpr const char* password = "s3cret-pass";

  // Starts a registry under `dir` and waits until it accepts connections.
  Registry(const std::filesystem::path& dir, Kind kind);
  ~Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // "127.0.0.1:PORT"
  const std::string& host() const { return host_; }
  // The directory holding ca.crt, as skopeo's --cert-dir and containers-certs.d want it.
  std::filesystem::path ca_dir() const { return dir_ / "ca"; }
  // A containers auth file with these credentials for this registry.
  std::filesystem::path write_auth_file(const std::filesystem::path& file,
                                        const std::string& password) const;
  // skopeo copy of LAYOUT:TAG to docker://HOST/REPO; returns the manifest digest as stored.
  std::string push(const std::filesystem::path& layout, const std::string& tag,
                   const std::string& repo) const;
  // Access log lines so far that fetched a blob.
  int blob_fetches() const;
  // Access log lines so far: every request.
  int requests() const;

 private:
  std::filesystem::path dir_;
  Kind kind_;
  std::string host_;
  int pid_ = -1;
};

}  // namespace e2e
