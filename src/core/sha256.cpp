#include "nexcage/core/sha256.hpp"

#include <cstdint>

namespace nexcage {

void Sha256::update(const void* data, std::size_t size) {
  sha256_update(&ctx_, size, static_cast<const uint8_t*>(data));
}

std::string Sha256::finish() {
  uint8_t digest[SHA256_DIGEST_SIZE];
  sha256_digest(&ctx_, sizeof digest, digest);
  static constexpr char hex_digits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * sizeof digest);
  for (uint8_t c : digest) {
    hex += hex_digits[c >> 4];
    hex += hex_digits[c & 0xf];
  }
  return hex;
}

std::string sha256_hex(std::string_view data) {
  Sha256 h;
  h.update(data);
  return h.finish();
}

}  // namespace nexcage
