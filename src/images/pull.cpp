#include "nexcage/images/pull.hpp"

#include <algorithm>

#include "nexcage/core/error.hpp"
#include "nexcage/core/log.hpp"
#include "nexcage/core/sha256.hpp"
#include "nexcage/fs/files.hpp"
#include "nexcage/fs/json_file.hpp"
#include "nexcage/images/pull_error.hpp"
#include "nexcage/images/tool.hpp"

namespace nexcage::images {

namespace {

using Mode = fs::FileLock::Mode;

// The flags that say how to reach `registry`, with skopeo's prefix for the side ("--src-" for
// copy, "--" for inspect).
std::vector<std::string> access_flags(const RegistryAccess& access, const std::string& registry,
                                      const std::string& prefix) {
  std::vector<std::string> flags;
  const auto& insecure = access.insecure_registries;
  if (std::find(insecure.begin(), insecure.end(), registry) != insecure.end())
    flags.push_back(prefix + "tls-verify=false");  // a pflag boolean: "=false", never a word
  if (!access.certs_dir.empty() &&
      fs::is_directory(access.certs_dir + "/" + registry, fs::Links::follow)) {
    flags.push_back(prefix + "cert-dir");
    flags.push_back(access.certs_dir + "/" + registry);
  }
  if (!access.auth_file.empty()) {
    flags.push_back(prefix + "authfile");
    flags.push_back(access.auth_file);
  }
  return flags;
}

process::Captured run_skopeo(process::Runner& runner, const RegistryAccess& access,
                             std::vector<std::string> argv, bool progress) {
  auto cmd = tool_command(access.skopeo, std::move(argv));
  cmd.env.insert(cmd.env.end(), access.proxy_env.begin(), access.proxy_env.end());
  cmd.stdout_on_stderr = progress;
  return runner.capture(cmd);
}

}  // namespace

std::string choose_auth_file(const char* registry_auth_file, const char* xdg_runtime_dir,
                             unsigned uid) {
  std::vector<std::string> candidates;
  if (registry_auth_file != nullptr && *registry_auth_file != '\0')
    candidates.emplace_back(registry_auth_file);
  if (xdg_runtime_dir != nullptr && *xdg_runtime_dir != '\0')
    candidates.push_back(std::string(xdg_runtime_dir) + "/containers/auth.json");
  else
    candidates.push_back("/run/containers/" + std::to_string(uid) + "/auth.json");
  candidates.emplace_back("/etc/containers/auth.json");
  for (const auto& c : candidates)
    if (fs::is_regular_file(c, fs::Links::follow)) return c;
  return {};
}

PullPolicy pull_policy_from(const std::string& word) {
  if (word == "missing") return PullPolicy::missing;
  if (word == "always") return PullPolicy::always;
  if (word == "never") return PullPolicy::never;
  throw Error(ErrorKind::usage, "--pull " + word + " is not a pull policy",
              "use missing (the default), always or never");
}

Pulled pull(process::Runner& runner, const ImageStore& store, const oci::ImageReference& ref,
            const Platform& platform, const RegistryAccess& access, PullPolicy policy) {
  const auto& registry = ref.domain;

  // A digest already stored needs no registry at all; nor, unless asked, does a name pulled
  // before.
  {
    auto held = store.lock(Mode::shared);
    if (held && !ref.digest.empty() && store.has(ref.digest)) return {ref.digest, false};
    if (held && policy != PullPolicy::always) {
      auto known = store.digest_named(ref.display());
      if (!known.empty() && store.has(known)) return {known, false};
    }
  }
  if (policy == PullPolicy::never)
    throw Error(ErrorKind::not_found,
                ref.display() + " is not in the image store " + store.dir().string(),
                "pull it first: drop --pull never");
  require_tool(access.skopeo, "pull " + ref.display() + " from its registry");

  // The manifest the reference names now: one request, no blob.
  std::vector<std::string> inspect{"skopeo", "inspect", "--raw", "--retry-times", "3"};
  auto flags = access_flags(access, registry, "--");
  inspect.insert(inspect.end(), flags.begin(), flags.end());
  inspect.push_back(ref.transport_form());
  auto raw = run_skopeo(runner, access, inspect, false);
  if (raw.exit.code() != 0) throw pull_error(registry, ref.display(), raw.err);
  auto digest = "sha256:" + sha256_hex(raw.out);
  if (!ref.digest.empty() && ref.digest != digest)
    throw Error(ErrorKind::invalid_input, "registry " + registry + " answered " + ref.display() +
                                              " with a manifest of digest " + digest);
  auto manifest = fs::parse_json_document(raw.out, "the manifest of " + ref.display());
  if (is_index(manifest)) digest = pick_platform(manifest, platform, ref.display());
  if (!is_sha256_digest(digest))
    throw Error(ErrorKind::invalid_input, "registry " + registry + " names the image by \"" +
                                              digest +
                                              "\"; nexcage stores images by sha256 digest only");

  auto held = store.lock(Mode::exclusive);
  if (store.has(digest)) {
    store.name(digest, ref.display());
    return {digest, false};
  }
  std::vector<std::string> copy{"skopeo", "copy", "--retry-times", "3"};
  if (!access.progress) copy.push_back("-q");
  auto src = access_flags(access, registry, "--src-");
  copy.insert(copy.end(), src.begin(), src.end());
  copy.push_back("docker://" + ref.name() + "@" + digest);
  copy.push_back("oci:" + store.dir().string() + ":" + digest);
  auto copied = run_skopeo(runner, access, copy, access.progress);
  try {
    if (copied.exit.code() != 0) throw pull_error(registry, ref.display(), copied.err);
    // A single-platform image says its platform only in its config, which is now here.
    auto image = store.layout().image(digest, platform);
    check_platform(image.config, platform, ref.display());
  } catch (...) {
    // Nothing of a failed pull stays: its entry, if skopeo wrote one, and its blobs.
    try {
      if (store.has(digest))
        store.remove(runner, {digest});
      else
        store.collect_garbage(runner);
    } catch (const Error& e) {
      log::warn("cleaning up the failed pull of " + ref.display() + ": " + e.what());
    }
    throw;
  }
  store.name(digest, ref.display());
  return {digest, true};
}

}  // namespace nexcage::images
