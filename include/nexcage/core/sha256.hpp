#pragma once
// SHA-256 (nettle's), for content digests: image manifests and blobs, rootfs trees, owner keys.
#include <cstddef>
#include <string>
#include <string_view>

#include <nettle/sha2.h>

namespace nexcage {

class Sha256 {
 public:
  Sha256() { sha256_init(&ctx_); }
  void update(const void* data, std::size_t size);
  void update(std::string_view s) { update(s.data(), s.size()); }
  // Lowercase hex of the digest; the object starts over.
  std::string finish();

 private:
  sha256_ctx ctx_{};
};

// SHA-256 of a byte string, lowercase hex.
std::string sha256_hex(std::string_view data);

}  // namespace nexcage
