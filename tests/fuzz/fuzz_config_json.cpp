// config.json as `create` reads it: parse_json_document (size and depth limits, UTF-8), the typed
// Spec (spec_from_json), then validate_spec and unknown_syscalls when the Spec converted cleanly,
// and the error text load_bundle would print. Only nexcage::Error may leave these functions; any
// other exception, a crash, a leak or UB is a finding.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>

#include "nexcage/core/error.hpp"
#include "nexcage/fs/json_file.hpp"
#include "nexcage/oci/bundle.hpp"

namespace {

// A real bundle directory with a rootfs/ inside, so root.path "rootfs" passes validate_root as it
// would for a real bundle; other paths are only stat(2)ed.
std::filesystem::path bundle_dir;

void remove_bundle() {
  std::error_code ec;
  std::filesystem::remove_all(bundle_dir, ec);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  std::string dir = std::filesystem::temp_directory_path() / "nexcage-fuzz-bundle.XXXXXX";
  if (::mkdtemp(dir.data()) == nullptr) std::abort();
  bundle_dir = dir;
  std::filesystem::create_directory(bundle_dir / "rootfs");
  std::atexit(remove_bundle);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    auto doc = nexcage::fs::parse_json_document(text, "config.json");
    std::vector<nexcage::oci::Problem> problems;
    auto spec = nexcage::oci::spec_from_json(doc, problems);
    if (problems.empty()) {
      problems = nexcage::oci::validate_spec(spec, bundle_dir);
      (void)nexcage::oci::unknown_syscalls(spec);
    }
    if (!problems.empty()) (void)nexcage::oci::describe_problems("config.json", problems);
  } catch (const nexcage::Error&) {
  }
  return 0;
}
