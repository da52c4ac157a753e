// The image store and registry access of this host, from the config file and the caller's
// environment (the containers auth file podman and skopeo log in to).
#include <unistd.h>

#include <cstdlib>

#include "internal.hpp"
#include "nexcage/images/pull.hpp"

namespace nexcage::lifecycle::detail {

images::ImageStore image_store(const Context& ctx) {
  return images::ImageStore(ctx.config().images.store);
}

images::RegistryAccess registry_access(const Context& ctx) {
  const auto& c = ctx.config().images;
  images::RegistryAccess access;
  access.skopeo = c.skopeo;
  access.insecure_registries = c.insecure_registries;
  access.certs_dir = c.certs_dir;
  access.auth_file = images::choose_auth_file(std::getenv("REGISTRY_AUTH_FILE"),
                                              std::getenv("XDG_RUNTIME_DIR"), ::geteuid());
  // A proxy the caller uses is the pull's too; nothing else of the caller's environment is.
  for (const char* name :
       {"HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy"})
    if (const char* value = std::getenv(name); value != nullptr && *value != '\0')
      access.proxy_env.push_back(std::string(name) + "=" + value);
  // Progress is for a person: only when stderr is a terminal.
  access.progress = ::isatty(STDERR_FILENO) == 1;
  return access;
}

}  // namespace nexcage::lifecycle::detail
