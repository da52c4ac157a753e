#pragma once
// Containers created under a --root other than the default one are noted in the default root,
// so that a later call arriving without --root still finds them. podman 4.3 drops its
// --runtime-flag values (e.g. root=) from the `delete --force` of its cleanup process; without
// this note that delete would miss the container and leak its state.
#include <filesystem>
#include <optional>
#include <string>

namespace nexcage::state {

class RootIndex {
 public:
  // Entries live in <default_root>/.roots/<id>, each holding the absolute root of that id.
  explicit RootIndex(std::filesystem::path default_root);

  // Records that `id` lives under `root`; nothing to do when root is the default root.
  void note(const std::string& id, const std::filesystem::path& root) const;

  // Drops the entry of `id` if it names `root` (another root may have claimed the id since).
  void forget(const std::string& id, const std::filesystem::path& root) const;

  // The root holding `id` according to the index, only if that root really has a record of it.
  // A malformed or dangling entry is ignored (and said so at debug level).
  std::optional<std::filesystem::path> lookup(const std::string& id) const;

  const std::filesystem::path& default_root() const { return default_root_; }

 private:
  std::filesystem::path entry(const std::string& id) const { return dir_ / id; }

  std::filesystem::path default_root_;
  std::filesystem::path dir_;
};

}  // namespace nexcage::state
