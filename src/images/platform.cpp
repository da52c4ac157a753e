#include "nexcage/images/platform.hpp"

#include <sys/utsname.h>

#include <map>

#include "nexcage/core/error.hpp"
#include "nexcage/core/text.hpp"

namespace nexcage::images {

namespace {

std::string text_at(const nlohmann::json& obj, const char* key) {
  if (!obj.is_object()) return {};
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

std::string Platform::display() const {
  return os + "/" + architecture + (variant.empty() ? "" : "/" + variant);
}

Platform platform_of_machine(const std::string& machine) {
  // Go's GOARCH names, which the image spec uses; Debian's amd64 arm64 armhf i386 ppc64el s390x
  // riscv64 run on these machines.
  static const std::map<std::string, std::pair<const char*, const char*>> names{
      {"x86_64", {"amd64", ""}},    {"aarch64", {"arm64", "v8"}}, {"armv7l", {"arm", "v7"}},
      {"armv6l", {"arm", "v6"}},    {"i686", {"386", ""}},        {"i586", {"386", ""}},
      {"i386", {"386", ""}},        {"ppc64le", {"ppc64le", ""}}, {"s390x", {"s390x", ""}},
      {"riscv64", {"riscv64", ""}},
  };
  Platform p;
  if (auto it = names.find(machine); it != names.end()) {
    p.architecture = it->second.first;
    p.variant = it->second.second;
  }
  return p;
}

Platform host_platform() {
  utsname u{};
  if (::uname(&u) != 0) throw system_error("uname", errno);
  auto p = platform_of_machine(u.machine);
  if (p.architecture.empty())
    throw Error(ErrorKind::system,
                std::string("this host's machine type ") + u.machine + " has no OCI image name");
  return p;
}

bool is_index(const nlohmann::json& manifest) {
  auto type = text_at(manifest, "mediaType");
  if (type == "application/vnd.oci.image.index.v1+json" ||
      type == "application/vnd.docker.distribution.manifest.list.v2+json")
    return true;
  // An OCI index may leave mediaType out; only an index has "manifests".
  return type.empty() && manifest.is_object() && manifest.contains("manifests") &&
         !manifest.contains("layers");
}

std::string pick_platform(const nlohmann::json& index, const Platform& platform,
                          const std::string& image) {
  std::vector<std::string> offered;
  std::string loose;  // os and architecture match, the variant is not named on one side
  if (index.contains("manifests") && index["manifests"].is_array()) {
    for (const auto& m : index["manifests"]) {
      if (!m.is_object() || !m.contains("platform")) continue;
      const auto& p = m["platform"];
      Platform their{text_at(p, "os"), text_at(p, "architecture"), text_at(p, "variant")};
      if (their.os.empty() || their.architecture.empty()) continue;
      offered.push_back(their.display());
      if (their.os != platform.os || their.architecture != platform.architecture) continue;
      auto digest = text_at(m, "digest");
      if (digest.empty()) continue;
      if (their.variant == platform.variant) return digest;
      if ((their.variant.empty() || platform.variant.empty()) && loose.empty()) loose = digest;
    }
  }
  if (!loose.empty()) return loose;
  throw Error(ErrorKind::not_found,
              "the image " + image + " has no build for this host's platform " + platform.display(),
              offered.empty() ? std::string("its index names no platform")
                              : "it is built for " + join(offered, ", "));
}

void check_platform(const nlohmann::json& image_config, const Platform& platform,
                    const std::string& image) {
  auto os = text_at(image_config, "os");
  auto arch = text_at(image_config, "architecture");
  // An image that names no platform is taken as the host's, as podman does.
  if ((os.empty() || os == platform.os) && (arch.empty() || arch == platform.architecture)) return;
  throw Error(ErrorKind::invalid_input,
              "the image " + image + " is built for " + (os.empty() ? "?" : os) + "/" +
                  (arch.empty() ? "?" : arch) + ", not for this host's " + platform.display(),
              "pull a tag or digest built for " + platform.display());
}

}  // namespace nexcage::images
