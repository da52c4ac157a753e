#include "nexcage/images/layout.hpp"

#include <algorithm>

#include "nexcage/core/error.hpp"
#include "nexcage/core/sha256.hpp"
#include "nexcage/core/text.hpp"
#include "nexcage/fs/files.hpp"
#include "nexcage/fs/json_file.hpp"

namespace nexcage::images {

namespace {

// Manifests, indexes and image configs are small; a larger one is not an image nexcage can use.
constexpr std::size_t max_document_bytes = 4 << 20;

nlohmann::json parse_document(const std::string& bytes, const std::string& what) {
  auto doc = fs::parse_json_document(bytes, what);
  if (!doc.is_object()) throw Error(ErrorKind::invalid_input, what + " is not a JSON object");
  return doc;
}

std::string digest_of(const nlohmann::json& descriptor) {
  if (!descriptor.is_object() || !descriptor.contains("digest") ||
      !descriptor["digest"].is_string())
    return {};
  return descriptor["digest"].get<std::string>();
}

uint64_t size_of(const nlohmann::json& descriptor) {
  if (!descriptor.is_object() || !descriptor.contains("size") ||
      !descriptor["size"].is_number_unsigned())
    return 0;
  return descriptor["size"].get<uint64_t>();
}

// The config and layer sizes an image manifest gives.
uint64_t image_size(const nlohmann::json& manifest) {
  uint64_t size = manifest.contains("config") ? size_of(manifest["config"]) : 0;
  if (manifest.contains("layers") && manifest["layers"].is_array())
    for (const auto& layer : manifest["layers"]) size += size_of(layer);
  return size;
}

// The tag (ref.name annotation) of an index.json entry, or "".
std::string tag_of(const nlohmann::json& entry) {
  if (!entry.is_object() || !entry.contains("annotations") || !entry["annotations"].is_object())
    return {};
  const auto& a = entry["annotations"];
  return a.contains(ref_name_annotation) && a[ref_name_annotation].is_string()
             ? a[ref_name_annotation].get<std::string>()
             : std::string();
}

}  // namespace

bool is_sha256_digest(const std::string& digest) {
  constexpr std::string_view prefix = "sha256:";
  return digest.size() == prefix.size() + 64 && digest.compare(0, prefix.size(), prefix) == 0 &&
         std::all_of(digest.begin() + prefix.size(), digest.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool Layout::exists() const {
  return fs::is_regular_file(dir_ / "oci-layout", fs::Links::follow) &&
         fs::is_regular_file(dir_ / "index.json", fs::Links::follow);
}

nlohmann::json Layout::index() const {
  auto file = dir_ / "index.json";
  auto doc = parse_document(fs::read_regular_file(file, max_document_bytes), file.string());
  // umoci writes null once the last entry is gone.
  if (!doc.contains("manifests") || doc["manifests"].is_null()) return nlohmann::json::array();
  if (!doc["manifests"].is_array())
    throw Error(ErrorKind::invalid_input, file.string() + ": manifests must be an array");
  return doc["manifests"];
}

std::vector<std::string> Layout::tags() const {
  std::vector<std::string> tags;
  for (const auto& m : index())
    if (auto tag = tag_of(m); !tag.empty()) tags.push_back(std::move(tag));
  return tags;
}

uint64_t Layout::manifest_size(const std::string& digest) const {
  return image_size(
      parse_document(blob(digest, max_document_bytes), dir_.string() + " manifest " + digest));
}

std::string Layout::blob(const std::string& digest, std::size_t max_bytes) const {
  if (!is_sha256_digest(digest))
    throw Error(ErrorKind::invalid_input,
                dir_.string() + ": blob digest \"" + digest + "\" is not sha256:<64 hex digits>");
  auto file = dir_ / "blobs" / "sha256" / digest.substr(7);
  auto bytes = fs::read_regular_file(file, max_bytes);
  if ("sha256:" + sha256_hex(bytes) != digest)
    throw Error(ErrorKind::invalid_input,
                file.string() + " does not match its digest: the image store is damaged",
                "remove the image (nexcage image rm) and pull it again");
  return bytes;
}

LayoutImage Layout::image(const std::string& ref, const Platform& platform) const {
  std::string digest;
  for (const auto& m : index())
    if (tag_of(m) == ref) digest = digest_of(m);
  auto name = dir_.string() + ":" + ref;
  if (digest.empty()) {
    auto known = tags();
    throw Error(ErrorKind::not_found,
                "the image layout " + dir_.string() + " has no tag \"" + ref + "\"",
                known.empty() ? std::string("it has no tagged manifest")
                              : "its tags: " + join(known, ", "));
  }
  auto manifest = parse_document(blob(digest, max_document_bytes), name + " manifest");
  if (is_index(manifest)) {
    digest = pick_platform(manifest, platform, name);
    manifest = parse_document(blob(digest, max_document_bytes), name + " manifest");
  }
  if (!manifest.contains("config") || !manifest.contains("layers") ||
      !manifest["layers"].is_array())
    throw Error(ErrorKind::invalid_input,
                name + ": the manifest " + digest + " is not an image manifest");
  LayoutImage image;
  image.manifest_digest = digest;
  image.config = parse_document(blob(digest_of(manifest["config"]), max_document_bytes),
                                name + " image config");
  image.size = image_size(manifest);
  image.manifest = std::move(manifest);
  return image;
}

}  // namespace nexcage::images
