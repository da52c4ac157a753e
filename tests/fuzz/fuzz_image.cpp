// What nexcage reads of an image from a registry, an untrusted author: the config blob
// (parse_json_document, parse_image_config, and as a manifest or index: is_index,
// pick_platform, check_platform), and the image's /etc/passwd and /etc/group with a User spec
// (resolve_user_in). The first byte chooses which; any input may be refused with an Error, never
// crash, leak or hang. A resolved user must come from the files or the spec's own numbers.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "nexcage/core/error.hpp"
#include "nexcage/fs/json_file.hpp"
#include "nexcage/images/image_user.hpp"
#include "nexcage/images/platform.hpp"
#include "nexcage/images/runtime_config.hpp"

namespace {

void config_blob(std::string_view text) {
  nlohmann::json doc;
  try {
    doc = nexcage::fs::parse_json_document(text, "image config");
  } catch (const nexcage::Error&) {
    return;
  }
  const nexcage::images::Platform host{"linux", "amd64", ""};
  try {
    auto c = nexcage::images::parse_image_config(doc, "fuzz");
    for (const auto& v : c.volumes)
      if (v.empty() || v.front() != '/') {
        std::fprintf(stderr, "a relative volume was accepted\n");
        std::abort();
      }
  } catch (const nexcage::Error&) {
  }
  try {
    if (nexcage::images::is_index(doc)) nexcage::images::pick_platform(doc, host, "fuzz");
    nexcage::images::check_platform(doc, host, "fuzz");
  } catch (const nexcage::Error&) {
  }
}

// passwd \0 group \0 spec
void accounts(std::string_view text) {
  auto first = text.find('\0');
  auto second = first == std::string_view::npos ? first : text.find('\0', first + 1);
  if (second == std::string_view::npos) return;
  std::string passwd(text.substr(0, first));
  std::string group(text.substr(first + 1, second - first - 1));
  std::string spec(text.substr(second + 1));
  try {
    auto user = nexcage::images::resolve_user_in(passwd, group, spec);
    if (user.home.empty()) {
      std::fprintf(stderr, "a resolved user has no home\n");
      std::abort();
    }
  } catch (const nexcage::Error&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] & 1)
    accounts(text);
  else
    config_blob(text);
  return 0;
}
