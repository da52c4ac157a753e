#pragma once
// The local image store (default /var/lib/nexcage/images): one OCI image layout whose blobs all
// images share, one entry per pulled manifest named by its registry digest ("sha256:<hex>"), so
// an image is fetched once and a layer shared by two images is kept once. names.json beside it
// says which references were pulled as which digest, and when. Anything that changes the store
// holds <store>/.lock exclusively (skopeo rewrites index.json whole, so two writers would lose an
// entry); reading and unpacking hold it shared.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "nexcage/fs/lock.hpp"
#include "nexcage/images/layout.hpp"
#include "nexcage/process/runner.hpp"

namespace nexcage::images {

struct StoredImage {
  std::string digest;                   // the registry's manifest digest: the store's key
  std::vector<std::string> references;  // domain/path:tag or domain/path@digest, as pulled
  std::string pulled;                   // RFC 3339, the last pull that named it
  uint64_t size = 0;                    // config and layers, as its manifest gives them
};

class ImageStore {
 public:
  explicit ImageStore(std::filesystem::path dir) : dir_(std::move(dir)), layout_(dir_) {}
  const std::filesystem::path& dir() const { return dir_; }
  const Layout& layout() const { return layout_; }

  // Holds the store's lock; an exclusive lock first makes the store (0700, an empty layout).
  // A shared lock on a store that does not exist yet is nullopt (there is nothing to read).
  std::optional<fs::FileLock> lock(fs::FileLock::Mode mode) const;
  bool exists() const { return layout_.exists(); }

  // Whether the layout holds the image `digest` (under a lock).
  bool has(const std::string& digest) const;
  // The digests of the images the layout holds (under a lock).
  std::vector<std::string> digests() const;
  // The images, with their names and sizes (under a lock); an image of the layout that
  // names.json does not know is listed without references.
  std::vector<StoredImage> images() const;
  // The digest last pulled as `reference` (domain/path:tag), or "".
  std::string digest_named(const std::string& reference) const;

  // Records that `reference` was pulled as `digest` now (exclusive lock).
  void name(const std::string& digest, const std::string& reference) const;
  // Removes the images and every blob no remaining image uses (exclusive lock): umoci rm, then
  // umoci gc.
  void remove(process::Runner& runner, const std::vector<std::string>& digests) const;
  // Removes blobs no image uses, such as a failed pull's (exclusive lock).
  void collect_garbage(process::Runner& runner) const;

 private:
  std::filesystem::path names_file() const { return dir_ / "names.json"; }
  nlohmann::json read_names() const;
  void write_names(const nlohmann::json& names) const;
  std::filesystem::path dir_;
  Layout layout_;
};

}  // namespace nexcage::images
