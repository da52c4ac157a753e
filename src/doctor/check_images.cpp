// The image store of create --image: readable, and what it holds; skopeo, which pulls; the
// registries reached without TLS verification, which an admin should know about.
#include <unistd.h>

#include <fmt/format.h>

#include "nexcage/core/error.hpp"
#include "nexcage/core/text.hpp"
#include "nexcage/doctor/checks.hpp"
#include "nexcage/images/store.hpp"

namespace nexcage::doctor {

void check_images(const router::Config& config, Report& report) {
  const auto& c = config.images;
  if (::access(c.skopeo.c_str(), X_OK) != 0)
    report.add("images", Severity::info,
               c.skopeo + " is missing: create --image with a registry reference needs it",
               "apt-get install skopeo");
  if (!c.insecure_registries.empty())
    report.add("images", Severity::info,
               "reached without TLS verification (images.insecure_registries): " +
                   join(c.insecure_registries, ", "));
  images::ImageStore store(c.store);
  if (!store.exists()) {
    report.add("images", Severity::ok, "no image pulled yet (store " + c.store + ")");
    return;
  }
  try {
    auto held = store.lock(fs::FileLock::Mode::shared);
    uint64_t bytes = 0;
    auto all = store.images();
    for (const auto& image : all) bytes += image.size;
    report.add("images", Severity::ok,
               fmt::format("{} image(s), {:.1f} MB, in {}", all.size(),
                           static_cast<double>(bytes) / 1e6, c.store));
  } catch (const Error& e) {
    report.add(
        "images", Severity::problem, e.what(),
        e.hint().empty() ? "move the store aside; create --image pulls into a new one" : e.hint());
  }
}

}  // namespace nexcage::doctor
