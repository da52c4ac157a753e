#include "internal.hpp"
#include "nexcage/core/build_info.hpp"
#include "nexcage/core/error.hpp"

namespace nexcage::lifecycle {

std::string version(Context& ctx) {
  std::string out = std::string("nexcage version ") + NEXCAGE_VERSION +
                    "\ncommit: " + build_info::commit + "\nspec: " + oci_spec_version + "\n";
  for (const auto& [name, config] : ctx.config().backends) {
    auto driver = ctx.backend(name);
    std::string line;
    if (!driver->available()) {
      line = "not installed (" + config.path + ")";
    } else {
      try {
        line = driver->version();
      } catch (const Error& e) {
        line = std::string("unknown (") + e.what() + ")";
      }
    }
    out += name + ": " + line + "\n";
  }
  return out;
}

}  // namespace nexcage::lifecycle
