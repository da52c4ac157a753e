#pragma once
// Pulling a registry image into the store with skopeo: the reference is resolved to a manifest
// digest first (one manifest request, no blob), the host's platform picked from an index, and
// the image copied by digest only when the store lacks it, so a second pull fetches no blob and
// a tag that moves while it is copied cannot mix two images.
#include <string>
#include <vector>

#include "nexcage/images/platform.hpp"
#include "nexcage/images/store.hpp"
#include "nexcage/oci/image_reference.hpp"
#include "nexcage/process/runner.hpp"

namespace nexcage::images {

struct RegistryAccess {
  std::string skopeo;                            // absolute path
  std::vector<std::string> insecure_registries;  // host[:port]: TLS not verified, HTTP allowed
  std::string certs_dir;               // HOST[:PORT]/*.crt (containers-certs.d); "": skopeo's own
  std::string auth_file;               // the containers auth file to read; "": anonymous
  bool progress = false;               // skopeo's progress lines on nexcage's stderr (a terminal)
  std::vector<std::string> proxy_env;  // the caller's HTTP(S)_PROXY/NO_PROXY, NAME=VALUE
};

// The containers auth file podman and skopeo log in to: $REGISTRY_AUTH_FILE, else
// $XDG_RUNTIME_DIR/containers/auth.json (/run/containers/<uid>/auth.json without it), else
// /etc/containers/auth.json; the first that is a file, or "" for none. A named file that does not
// exist is skipped, since skopeo would silently pull anonymously and report "unauthorized".
std::string choose_auth_file(const char* registry_auth_file, const char* xdg_runtime_dir,
                             unsigned uid);

// When the registry is asked, as podman's --pull: `missing` uses the image a reference was last
// pulled as when the store has it (no request at all, so it works offline; a moved tag is seen by
// `always`), `always` asks the registry which manifest the reference names now (one manifest
// request; blobs only when the store lacks the image), `never` only uses the store.
enum class PullPolicy { missing, always, never };
// "missing", "always", "never"; throws Error(usage) naming the accepted words.
PullPolicy pull_policy_from(const std::string& word);

struct Pulled {
  std::string digest;    // the manifest digest the store keys the image by
  bool fetched = false;  // false: the store had it
};

// Pulls `ref` for `platform` into `store` (taking the store's lock itself) and names it there.
// A failed pull leaves no blob behind and throws pull_error's words.
Pulled pull(process::Runner& runner, const ImageStore& store, const oci::ImageReference& ref,
            const Platform& platform, const RegistryAccess& access,
            PullPolicy policy = PullPolicy::always);

}  // namespace nexcage::images
