#include "nexcage/images/store.hpp"

#include <algorithm>

#include "nexcage/core/clock.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/core/search_path.hpp"
#include "nexcage/fs/files.hpp"
#include "nexcage/fs/json_file.hpp"
#include "nexcage/images/tool.hpp"

namespace nexcage::images {

namespace fsys = std::filesystem;

namespace {

constexpr std::size_t max_names_bytes = 16 << 20;

std::string now() {
  timespec ts{};
  ::clock_gettime(CLOCK_REALTIME, &ts);
  return rfc3339_seconds(ts);
}

// 0 when the manifest cannot be read: the image is still listed.
uint64_t listed_size(const Layout& layout, const std::string& digest) {
  try {
    return layout.manifest_size(digest);
  } catch (const Error&) {
    return 0;
  }
}

}  // namespace

std::optional<fs::FileLock> ImageStore::lock(fs::FileLock::Mode mode) const {
  if (mode == fs::FileLock::Mode::shared && !fs::is_directory(dir_, fs::Links::refuse))
    return std::nullopt;
  fs::ensure_private_dir(dir_, 0700);
  auto held = fs::FileLock::acquire(dir_ / ".lock", mode);
  if (mode == fs::FileLock::Mode::exclusive && !layout_.exists()) {
    fsys::create_directories(dir_ / "blobs" / "sha256");
    fs::write_atomic(dir_ / "oci-layout",
                     R"({"imageLayoutVersion":"1.0.0"})"
                     "\n",
                     0600);
    fs::write_atomic(dir_ / "index.json",
                     R"({"schemaVersion":2,"manifests":[]})"
                     "\n",
                     0600);
  }
  return held;
}

bool ImageStore::has(const std::string& digest) const {
  auto all = digests();
  return std::find(all.begin(), all.end(), digest) != all.end();
}

std::vector<std::string> ImageStore::digests() const {
  std::vector<std::string> out;
  if (!layout_.exists()) return out;
  for (auto& tag : layout_.tags())
    if (is_sha256_digest(tag)) out.push_back(std::move(tag));  // other tags are not nexcage's
  return out;
}

nlohmann::json ImageStore::read_names() const {
  std::error_code ec;
  if (!fsys::exists(names_file(), ec)) return nlohmann::json::object();
  auto text = fs::read_regular_file(names_file(), max_names_bytes);
  auto doc = fs::parse_json_document(text, names_file().string());
  auto bad = [&](const std::string& why) {
    return Error(ErrorKind::invalid_input, names_file().string() + ": " + why,
                 "remove the file: only the names of pulled images are lost, not the images");
  };
  if (!doc.is_object()) throw bad("not a JSON object");
  for (const auto& [digest, entry] : doc.items()) {
    if (!is_sha256_digest(digest)) throw bad("\"" + digest + "\" is not a sha256 digest");
    if (!entry.is_object() || !entry.contains("references") || !entry["references"].is_array() ||
        !entry.contains("pulled") || !entry["pulled"].is_string())
      throw bad(digest + " must be {\"references\": [...], \"pulled\": \"...\"}");
    for (const auto& r : entry["references"])
      if (!r.is_string()) throw bad(digest + ".references must hold strings");
  }
  return doc;
}

void ImageStore::write_names(const nlohmann::json& names) const {
  fs::write_atomic(names_file(), names.dump(2) + "\n", 0600);
}

std::vector<StoredImage> ImageStore::images() const {
  std::vector<StoredImage> out;
  if (!layout_.exists()) return out;
  auto names = read_names();
  for (const auto& digest : digests()) {
    StoredImage image;
    image.digest = digest;
    if (names.contains(digest)) {
      image.references = names[digest]["references"].get<std::vector<std::string>>();
      image.pulled = names[digest]["pulled"].get<std::string>();
    }
    image.size = listed_size(layout_, digest);
    out.push_back(std::move(image));
  }
  return out;
}

std::string ImageStore::digest_named(const std::string& reference) const {
  if (!layout_.exists()) return {};
  auto names = read_names();
  std::string found, when;
  for (const auto& [digest, entry] : names.items()) {
    for (const auto& r : entry["references"]) {
      // The latest pull of a tag wins: a tag moves, an older digest keeps the name until then.
      if (r == reference && entry["pulled"].get<std::string>() >= when) {
        found = digest;
        when = entry["pulled"].get<std::string>();
      }
    }
  }
  return found;
}

void ImageStore::name(const std::string& digest, const std::string& reference) const {
  auto names = read_names();
  // A tag names one image: the one pulled last.
  for (auto& [other, entry] : names.items()) {
    if (other == digest) continue;
    auto& refs = entry["references"];
    refs.erase(std::remove(refs.begin(), refs.end(), reference), refs.end());
  }
  auto& entry = names[digest];
  if (!entry.is_object()) entry = {{"references", nlohmann::json::array()}};
  auto& refs = entry["references"];
  if (std::find(refs.begin(), refs.end(), reference) == refs.end()) refs.push_back(reference);
  entry["pulled"] = now();
  write_names(names);
}

void ImageStore::remove(process::Runner& runner, const std::vector<std::string>& digests) const {
  auto names = read_names();
  for (const auto& digest : digests) {
    run_tool(runner, tool_paths::umoci, {"umoci", "rm", "--image", dir_.string() + ":" + digest},
             "remove the image " + digest + " from " + dir_.string());
    names.erase(digest);
  }
  write_names(names);
  collect_garbage(runner);
}

void ImageStore::collect_garbage(process::Runner& runner) const {
  if (!layout_.exists()) return;
  run_tool(runner, tool_paths::umoci, {"umoci", "gc", "--layout", dir_.string()},
           "free the unused blobs of " + dir_.string());
}

}  // namespace nexcage::images
