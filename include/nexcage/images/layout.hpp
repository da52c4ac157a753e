#pragma once
// Reading an OCI image layout (image-spec's image-layout.md): index.json, its tagged manifests
// and their config blobs. A layout is outside input (an admin's directory, or the store that
// skopeo writes), so every digest is checked before it names a file and every blob is bounded.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nexcage/images/platform.hpp"

namespace nexcage::images {

inline constexpr const char* ref_name_annotation = "org.opencontainers.image.ref.name";

// True for "sha256:" and 64 lowercase hex digits, the only digest a layout's blob may have here.
bool is_sha256_digest(const std::string& digest);

struct LayoutImage {
  std::string manifest_digest;  // of the platform's manifest
  nlohmann::json manifest;
  nlohmann::json config;  // the image config: its "config" object holds Entrypoint, Cmd, Env...
  uint64_t size = 0;      // the manifest, config and layer blobs, as the manifest gives them
};

class Layout {
 public:
  explicit Layout(std::filesystem::path dir) : dir_(std::move(dir)) {}
  const std::filesystem::path& dir() const { return dir_; }

  // True when oci-layout and index.json are regular files there.
  bool exists() const;
  // index.json's manifest descriptors.
  nlohmann::json index() const;
  // The tags (ref.name annotations) of index.json, in its order.
  std::vector<std::string> tags() const;
  // The image tagged `ref`, a manifest list resolved for `platform`; throws Error(not_found)
  // when the layout has no such tag.
  LayoutImage image(const std::string& ref, const Platform& platform) const;
  // The config and layer sizes the manifest `digest` gives.
  uint64_t manifest_size(const std::string& digest) const;
  // A blob's bytes, checked against its digest; throws Error(invalid_input) naming the blob.
  std::string blob(const std::string& digest, std::size_t max_bytes) const;

 private:
  std::filesystem::path dir_;
};

}  // namespace nexcage::images
