// The admin form of create. An admin names an image and a few Proxmox-style knobs; nexcage
// writes the OCI bundle a client would have written (the image's config.json with the knobs
// applied, routed to pct) and creates it like any other bundle, so the container behaves the
// same through every later command.
#include <sys/stat.h>

#include <filesystem>

#include "internal.hpp"
#include "nexcage/core/container_id.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/fs/files.hpp"
#include "nexcage/oci/bundle.hpp"
#include "nexcage/router/config.hpp"

namespace nexcage::lifecycle {

namespace fsys = std::filesystem;

namespace {

constexpr const char* bundles_dir = ".bundles";

bool is_file(const fsys::path& p) {
  struct stat st{};
  return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

fsys::path checked_image(const std::string& image) {
  if (image.empty()) throw Error(ErrorKind::usage, "--image must not be empty");
  auto dir = fs::absolute_path(image);
  if (is_file(dir / "config.json")) return dir;
  if (is_file(dir / "oci-layout") || is_file(dir / "index.json"))
    throw Error(ErrorKind::usage,
                "--image " + image + " is an OCI image layout; this version of nexcage takes a bundle",
                "unpack it first: umoci unpack --image " + image + ":TAG BUNDLE, then --image BUNDLE");
  if (image.find(":vztmpl/") != std::string::npos)
    throw Error(ErrorKind::usage, "--image " + image + " is a Proxmox template; nexcage takes a bundle",
                "create system containers from templates with pct create");
  throw Error(ErrorKind::usage, "--image " + image + " is not a bundle directory (no config.json)",
              "pass a directory holding config.json and its rootfs");
}

// The image's config.json with the admin's knobs applied.
nlohmann::json admin_config(const fsys::path& image, const ImageCreateRequest& r) {
  auto doc = oci::read_json_file(image / "config.json", (image / "config.json").string());
  if (!doc.is_object()) throw Error(ErrorKind::invalid_input, (image / "config.json").string() + ": not a JSON object");
  // The new bundle lives elsewhere, so the rootfs is named absolutely.
  if (doc.contains("root") && doc["root"].is_object() && doc["root"].contains("path") &&
      doc["root"]["path"].is_string()) {
    fsys::path rootfs = doc["root"]["path"].get<std::string>();
    doc["root"]["path"] = (rootfs.is_absolute() ? rootfs : image / rootfs).lexically_normal().string();
  }
  // Proxmox starts the container detached, with no terminal to hand over.
  if (doc.contains("process") && doc["process"].is_object()) doc["process"]["terminal"] = false;
  if (r.memory_mib) {
    if (*r.memory_mib < 16) throw Error(ErrorKind::usage, "--memory must be at least 16 (MiB)");
    doc["linux"]["resources"]["memory"]["limit"] = static_cast<int64_t>(*r.memory_mib) << 20;
  }
  if (r.cores) {
    if (*r.cores < 1 || *r.cores > 8192) throw Error(ErrorKind::usage, "--cores must be between 1 and 8192");
    doc["linux"]["resources"]["cpu"]["period"] = 100000;
    doc["linux"]["resources"]["cpu"]["quota"] = static_cast<int64_t>(*r.cores) * 100000;
  }
  auto& annotations = doc["annotations"];
  if (!annotations.is_object()) annotations = nlohmann::json::object();
  annotations[router::backend_annotation] = "pct";
  if (!r.storage.empty()) annotations["org.nexcage.pct.storage"] = r.storage;
  if (!r.net.empty()) annotations["org.nexcage.pct.net"] = r.net;
  return doc;
}

}  // namespace

std::string create_from_image(Context& ctx, const ImageCreateRequest& request) {
  check_container_id(request.name);
  auto image = checked_image(request.image);
  auto doc = admin_config(image, request);
  auto bundle = ctx.globals().root / bundles_dir / request.name;
  fs::ensure_private_dir(ctx.globals().root, 0700);
  fs::ensure_private_dir(ctx.globals().root / bundles_dir, 0700);
  std::error_code ec;
  if (ctx.store().peek(request.name)) throw Error(ErrorKind::exists, msg::already_exists);
  fsys::remove_all(bundle, ec);  // left by a create that crashed before claiming the id
  fs::ensure_private_dir(bundle, 0700);
  fs::write_atomic(bundle / "config.json", doc.dump(2) + "\n", 0600);
  CreateRequest create;
  create.id = request.name;
  create.bundle = bundle.string();
  detail::Created created;
  try {
    created = detail::create_container(ctx, create);
  } catch (...) {
    fsys::remove_all(bundle, ec);
    throw;
  }
  if (request.start) start(ctx, request.name);
  const auto& state = created.record.backend_state;
  auto vmid = state.find("vmid");
  return (vmid != state.end() ? vmid->dump() : request.name) + "\n";
}

// A bundle nexcage wrote for the admin form goes with its container.
void detail::remove_generated_bundle(const Context& ctx, const state::Record& record) {
  auto generated = ctx.globals().root / bundles_dir / record.id;
  if (fsys::path(record.bundle) != generated) return;
  std::error_code ec;
  fsys::remove_all(generated, ec);
}

}  // namespace nexcage::lifecycle
