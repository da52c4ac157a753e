#pragma once
// The platform an image must be built for: the host's, in the OCI image spec's (Go's) names.
#include <string>

#include <nlohmann/json.hpp>

namespace nexcage::images {

struct Platform {
  std::string os = "linux";
  std::string architecture;     // "amd64", "arm64", "arm", "386", "ppc64le", "s390x", "riscv64"
  std::string variant;          // "v7" for armhf, "v8" for arm64; may be empty
  std::string display() const;  // "linux/arm/v7"
};

// The host's platform, from uname(2)'s machine name.
Platform host_platform();
// The OCI name of a uname machine name ("x86_64" -> "amd64"); empty when unknown.
Platform platform_of_machine(const std::string& machine);

// True for an OCI image index or a Docker manifest list.
bool is_index(const nlohmann::json& manifest);

// The digest of `index`'s manifest for `platform` (a variant is matched when both name one);
// throws Error(not_found) listing the platforms the index has.
std::string pick_platform(const nlohmann::json& index, const Platform& platform,
                          const std::string& image);

// Throws Error(invalid_input) when the image config's os/architecture is not `platform`'s, naming
// both: an arm64 image would fail with "exec format error" at start, far from the cause.
void check_platform(const nlohmann::json& image_config, const Platform& platform,
                    const std::string& image);

}  // namespace nexcage::images
