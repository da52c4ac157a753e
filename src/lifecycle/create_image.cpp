// The admin form of create. An admin names an image and a few Proxmox-style knobs; nexcage
// writes the OCI bundle a client would have written (config.json from the image, the knobs
// applied) and creates it like any other bundle, so the container behaves the same through every
// later command. The image may be a bundle directory, an OCI image layout or archive, a registry
// reference (pulled into the image store) or a Proxmox template; the backend is chosen as for any
// create, preferring pct on a Proxmox host when nothing else decides.
#include <sys/stat.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "internal.hpp"
#include "nexcage/backend/registry.hpp"
#include "nexcage/core/container_id.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/core/log.hpp"
#include "nexcage/core/operation.hpp"
#include "nexcage/core/search_path.hpp"
#include "nexcage/core/text.hpp"
#include "nexcage/fs/files.hpp"
#include "nexcage/fs/json_file.hpp"
#include "nexcage/images/pull.hpp"
#include "nexcage/images/runtime_config.hpp"
#include "nexcage/images/tool.hpp"
#include "nexcage/oci/bundle.hpp"
#include "nexcage/oci/image_reference.hpp"
#include "nexcage/router/config.hpp"
#include "nexcage/router/router.hpp"
#include "nexcage/state/state_root.hpp"

namespace nexcage::lifecycle {

namespace fsys = std::filesystem;

namespace {

using state::bundles_dir;
constexpr const char* proxmox_backend = "pct";

enum class ImageKind { bundle, layout, archive, pve_template, registry };

struct Image {
  ImageKind kind;
  fsys::path path;
  std::string tag;                // layout and archive: the tag asked for, or empty
  oci::ImageReference reference;  // registry
};

const char* const image_forms =
    "a bundle directory, an OCI image layout DIR[:TAG], an OCI archive (.tar), a registry image "
    "([docker://]HOST/REPO[:TAG|@DIGEST], or a Docker Hub name such as busybox:1.36) or a "
    "Proxmox template";

Image checked_image(const std::string& image, const backend::AdminForm* pct_form) {
  if (image.empty()) throw Error(ErrorKind::usage, "--image must not be empty");
  if (image.rfind("docker://", 0) == 0)
    return {ImageKind::registry, {}, "", oci::parse_image_reference(image)};
  if (pct_form != nullptr && pct_form->is_template(image))
    return {ImageKind::pve_template, image, "", {}};
  auto path = fs::absolute_path(image);
  std::string tag;
  // DIR:TAG, as umoci and skopeo spell it, unless the whole text names an existing path.
  std::error_code ec;
  bool whole_exists = fsys::exists(path, ec);
  if (auto colon = image.rfind(':'); !whole_exists && colon != std::string::npos && colon > 0) {
    tag = image.substr(colon + 1);
    path = fs::absolute_path(image.substr(0, colon));
  }
  if (fs::is_directory(path, fs::Links::follow) &&
      fs::is_regular_file(path / "config.json", fs::Links::follow) && tag.empty())
    return {ImageKind::bundle, path, "", {}};
  if (fs::is_directory(path, fs::Links::follow) && images::Layout(path).exists())
    return {ImageKind::layout, path, tag, {}};
  if (fs::is_regular_file(path, fs::Links::follow) && path.extension() == ".tar")
    return {ImageKind::archive, path, tag, {}};
  // Not a path here: a registry reference, as podman reads `busybox:1.36`.
  bool looks_like_path = image.front() == '/' || image.front() == '.' || image.back() == '/';
  if (!whole_exists && !looks_like_path) {
    try {
      return {ImageKind::registry, {}, "", oci::parse_image_reference(image)};
    } catch (const Error&) {
      // Neither a path nor a reference: the message below names every form.
    }
  }
  throw Error(ErrorKind::usage, "--image " + image + " is not " + image_forms,
              whole_exists ? "the path exists but holds none of these"
                           : "no such path, and not a valid registry reference");
}

// The tag to unpack: the one asked for, or the layout's only one.
std::string pick_tag(const images::Layout& layout, const std::string& asked) {
  auto tags = layout.tags();
  auto list = join(tags, ", ");
  const auto dir = layout.dir().string();
  if (!asked.empty()) {
    if (std::find(tags.begin(), tags.end(), asked) == tags.end())
      throw Error(ErrorKind::usage, "the image layout " + dir + " has no tag \"" + asked + "\"",
                  tags.empty() ? std::string("it has no tagged manifest") : "its tags: " + list);
    return asked;
  }
  if (tags.size() == 1) return tags.front();
  throw Error(
      ErrorKind::usage,
      "the image layout " + dir + (tags.empty() ? " has no tagged manifest" : " has several tags"),
      tags.empty() ? std::string("tag one with umoci tag")
                   : "name one: --image " + dir + ":TAG (tags: " + list + ")");
}

// A single DNS label (RFC 1123): what pct's hostname check accepts for a container id.
bool is_hostname(const std::string& name) {
  if (name.empty() || name.size() > 63 || name.front() == '-' || name.back() == '-') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
  });
}

// The backend of the new container: --backend, then the config's rules and default_backend as
// for any create, then pct where it runs (a Proxmox host), then runc or crun. A Proxmox template
// can only become a Proxmox container.
router::Route choose_backend(const Context& ctx, const ImageCreateRequest& r, const Image& image) {
  router::RouteRequest wanted;
  wanted.id = r.name;
  wanted.flag = ctx.backend_flag();
  wanted.preferred = proxmox_backend;
  wanted.preferred_reason = "create --image on a Proxmox host";
  if (image.kind == ImageKind::pve_template) {
    wanted.annotations[router::backend_annotation] = proxmox_backend;
    wanted.annotation_origin = "a Proxmox template, which only pct can use,";
  }
  return router::route(ctx.config(), wanted, [&](const router::BackendConfig& b) {
    return ctx.backend(b.name)->available();
  });
}

// The Proxmox knobs need a backend that has an admin form (pct).
void check_knobs(const ImageCreateRequest& r, const router::Route& route) {
  std::vector<std::string> given;
  if (!r.storage.empty()) given.emplace_back("--storage");
  if (!r.net.empty()) given.emplace_back("--net");
  if (r.disk_gib) given.emplace_back("--disk");
  if (r.onboot) given.emplace_back("--onboot");
  if (given.empty()) return;
  throw Error(ErrorKind::usage,
              join(given, ", ") + (given.size() == 1 ? " is" : " are") +
                  " for Proxmox containers, but this one goes to " + route.backend + " (" +
                  route.reason + ")",
              "drop " + join(given, ", ") + ", or pass --backend pct on a Proxmox host");
}

struct Unpacked {
  std::string digest;  // the manifest digest, when the image had one
};

// Unpacks the image into bundle/rootfs and writes bundle/config.json from its image config.
Unpacked unpack_image(Context& ctx, const Image& image, const ImageCreateRequest& r,
                      const fsys::path& bundle) {
  auto platform = images::host_platform();
  fsys::path layout_dir = image.path;
  std::string ref = image.tag;
  std::optional<fs::FileLock> store_lock;
  auto scratch = bundle.parent_path() / ("." + bundle.filename().string() + ".layout");
  std::error_code ec;
  fsys::remove_all(scratch, ec);
  struct Scratch {
    fsys::path dir;
    ~Scratch() {
      std::error_code e;
      fsys::remove_all(dir, e);
    }
  } cleanup{scratch};
  if (image.kind == ImageKind::registry) {
    auto policy = images::pull_policy_from(r.pull);
    auto store = detail::image_store(ctx);
    auto access = detail::registry_access(ctx);
    // A prune between the pull and the shared lock below would leave nothing to unpack: pull
    // again then, once.
    for (int attempt = 0; attempt < 2 && ref.empty(); ++attempt) {
      auto pulled = images::pull(ctx.runner(), store, image.reference, platform, access, policy);
      log::debug(image.reference.display() + " is " + pulled.digest +
                 (pulled.fetched ? ", pulled" : ", already in " + store.dir().string()));
      store_lock.reset();
      store_lock = store.lock(fs::FileLock::Mode::shared);
      if (store_lock && store.has(pulled.digest)) ref = pulled.digest;
    }
    if (ref.empty())
      throw Error(ErrorKind::system, image.reference.display() + " was removed from " +
                                         store.dir().string() + " while it was being used");
    layout_dir = store.dir();
  } else if (image.kind == ImageKind::archive) {
    fs::ensure_private_dir(scratch, 0700);
    images::run_tool(ctx.runner(), tool_paths::tar,
                     {"tar", "-xf", image.path.string(), "-C", scratch.string()},
                     "read the OCI archive " + image.path.string());
    if (!images::Layout(scratch).exists())
      throw Error(
          ErrorKind::usage,
          image.path.string() + " is a tar but not an OCI archive (no oci-layout, index.json)");
    layout_dir = scratch;
  }
  // umoci reads --image DIR:TAG up to the first ':'.
  if (layout_dir.string().find(':') != std::string::npos)
    throw Error(
        ErrorKind::usage,
        "umoci cannot read an image layout whose path contains ':' (" + layout_dir.string() + ")",
        "move or link the layout to a path without ':'");
  images::Layout layout(layout_dir);
  if (image.kind != ImageKind::registry) ref = pick_tag(layout, ref);
  auto found = layout.image(ref, platform);
  const auto name = image.kind == ImageKind::registry ? image.reference.display()
                                                      : layout_dir.string() + ":" + ref;
  images::check_platform(found.config, platform, name);
  fs::ensure_private_dir(bundle, 0700);
  // umoci applies the layers with their whiteouts and keeps every path inside the rootfs.
  images::run_tool(ctx.runner(), tool_paths::umoci,
                   {"umoci", "raw", "unpack", "--image", layout_dir.string() + ":" + ref,
                    (bundle / "rootfs").string()},
                   "unpack " + name);
  store_lock.reset();
  auto made = images::bundle_from_image({found.config, bundle / "rootfs", r.command, name});
  for (const auto& note : made.notes) log::warn(r.name + ": " + note);
  fs::write_atomic(bundle / "config.json", made.config.dump(2) + "\n", 0600);
  return {found.manifest_digest};
}

// The object `key` of `parent`, made when absent. Another type is the bundle's error, reported
// with its JSON path before anything is written.
nlohmann::json& object_member(nlohmann::json& parent, const char* key, const std::string& path,
                              const fsys::path& file) {
  auto& member = parent[key];
  if (member.is_null()) member = nlohmann::json::object();
  if (!member.is_object())
    throw Error(ErrorKind::invalid_input, file.string() + ": " + path + " must be an object");
  return member;
}

std::string string_member(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The bundle's config.json with the admin's knobs applied.
nlohmann::json admin_config(const fsys::path& bundle_dir, const ImageCreateRequest& r,
                            bool from_image, const router::Route& route,
                            const backend::AdminForm* form) {
  const auto file = bundle_dir / "config.json";
  auto doc = fs::read_json_file(file, file.string());
  if (from_image && doc.is_object() && form != nullptr) {
    // LXC mounts proc, sys and dev over directories that must exist; images often lack them
    // (runc creates mount points itself). The rootfs is nexcage's own copy, so it may add them.
    std::vector<std::string> dirs{"proc", "sys", "dev"};
    // LXC does not create the working directory either (runc does).
    if (doc.contains("process") && doc["process"].is_object() &&
        string_member(doc["process"], "cwd") != "/")
      dirs.push_back(fsys::path(string_member(doc["process"], "cwd")).relative_path().string());
    for (const auto& dir : dirs) {
      if (dir.empty() || dir.find("..") != std::string::npos) continue;
      std::error_code ec;
      auto target = bundle_dir / "rootfs" / dir;
      if (!fsys::exists(fsys::symlink_status(target, ec))) {
        fsys::create_directories(target, ec);
        if (ec) throw Error(ErrorKind::system, "creating " + target.string() + ": " + ec.message());
      }
    }
  }
  if (!doc.is_object())
    throw Error(ErrorKind::invalid_input, file.string() + ": not a JSON object");
  if (form != nullptr) form->apply(doc, {r.storage, r.net, r.disk_gib, r.onboot});
  // The new bundle lives elsewhere, so the rootfs is named absolutely.
  if (doc.contains("root") && doc["root"].is_object() && doc["root"].contains("path") &&
      doc["root"]["path"].is_string()) {
    doc["root"]["path"] =
        fs::absolute_path(doc["root"]["path"].get<std::string>(), bundle_dir).string();
  }
  // The container is started detached, with no caller's terminal to hand over.
  if (doc.contains("process") && doc["process"].is_object()) doc["process"]["terminal"] = false;
  if (r.memory_mib) {
    if (*r.memory_mib < 16) throw Error(ErrorKind::usage, "--memory must be at least 16 (MiB)");
    auto& resources = object_member(doc["linux"], "resources", "linux.resources", file);
    object_member(resources, "memory", "linux.resources.memory", file)["limit"] =
        static_cast<int64_t>(*r.memory_mib) << 20;
  }
  if (r.cores) {
    if (*r.cores < 1 || *r.cores > 8192)
      throw Error(ErrorKind::usage, "--cores must be between 1 and 8192");
    auto& resources = object_member(doc["linux"], "resources", "linux.resources", file);
    auto& cpu = object_member(resources, "cpu", "linux.resources.cpu", file);
    cpu["period"] = 100000;
    cpu["quota"] = static_cast<int64_t>(*r.cores) * 100000;
  }
  doc["annotations"][router::backend_annotation] = route.backend;
  // The name is what the admin sees in `pct list` and the GUI; a bundle's own hostname is kept
  // only when the name cannot be one.
  if (is_hostname(r.name)) doc["hostname"] = r.name;
  return doc;
}

}  // namespace

std::string create_from_image(Context& ctx, const ImageCreateRequest& request) {
  operation::note_id(request.name);
  check_container_id(request.name);
  auto image = checked_image(request.image, backend::admin_form(proxmox_backend));
  if (!request.command.empty() &&
      (image.kind == ImageKind::bundle || image.kind == ImageKind::pve_template))
    throw Error(ErrorKind::usage,
                "a command after --image " + request.image + " needs an image, not a " +
                    (image.kind == ImageKind::bundle ? "bundle (its config.json names the command)"
                                                     : "Proxmox template (it runs its init)"));
  if (image.kind == ImageKind::registry)
    images::pull_policy_from(request.pull);  // refused before anything is made
  else if (request.pull != "missing")
    throw Error(ErrorKind::usage,
                "--pull is for registry images, not for --image " + request.image);
  auto route = choose_backend(ctx, request, image);
  const auto* form = backend::admin_form(route.backend);
  if (form == nullptr) check_knobs(request, route);
  if (image.kind == ImageKind::pve_template && form == nullptr)
    throw Error(ErrorKind::system, "the pct backend has no admin form");
  auto bundle = ctx.globals().root / bundles_dir / request.name;
  state::prepare_root(ctx.globals().root);  // never chmod a root nexcage did not make
  fs::ensure_private_dir(ctx.globals().root / bundles_dir, 0700);
  std::error_code ec;
  if (detail::peek(ctx, request.name)) throw Error(ErrorKind::exists, msg::already_exists);
  fsys::remove_all(bundle, ec);  // left by a create that crashed before claiming the id
  nlohmann::json doc;
  try {
    if (image.kind == ImageKind::bundle) {
      doc = admin_config(image.path, request, false, route, form);
      fs::ensure_private_dir(bundle, 0700);
    } else if (image.kind == ImageKind::pve_template) {
      // A system container: the template's own /sbin/init, unpacked by pct from the template.
      fs::ensure_private_dir(bundle / "rootfs", 0700);
      auto spec = form->template_spec(image.path.string());
      fs::write_atomic(bundle / "config.json", spec.dump(2) + "\n", 0600);
      doc = admin_config(bundle, request, true, route, form);
    } else {
      auto unpacked = unpack_image(ctx, image, request, bundle);
      doc = admin_config(bundle, request, true, route, form);
      doc["annotations"][detail::image_ref_annotation] =
          image.kind == ImageKind::registry ? image.reference.display() : request.image;
      doc["annotations"][detail::image_digest_annotation] = unpacked.digest;
    }
    fs::write_atomic(bundle / "config.json", doc.dump(2) + "\n", 0600);
  } catch (...) {
    fsys::remove_all(bundle, ec);
    throw;
  }
  CreateRequest create;
  create.id = request.name;
  create.bundle = bundle.string();
  // The admin's terminal must not become the container's stdio: Proxmox runs a pct container
  // (its console); runc's and crun's write to a file in the bundle.
  create.caller_stdio = false;
  create.output_file = (bundle / "output.log").string();
  create.backend_chosen_by = "create --image (" + route.reason + ")";
  detail::Created created;
  try {
    created = detail::create_container(ctx, create);
  } catch (...) {
    fsys::remove_all(bundle, ec);
    throw;
  }
  if (request.start) detail::start_container(ctx, request.name, false);
  auto driver = ctx.backend(created.record.backend);
  const auto* life = driver->outside_life();  // lives as long as `driver`
  auto vmid = life != nullptr ? life->outside_id(created.record) : std::nullopt;
  return (vmid ? std::to_string(*vmid) : request.name) + "\n";
}

// A bundle nexcage wrote for the admin form goes with its container.
bool detail::has_generated_bundle(const Context& ctx, const state::Record& record) {
  return fsys::path(record.bundle) == ctx.globals().root / bundles_dir / record.id;
}

void detail::remove_generated_bundle(const Context& ctx, const state::Record& record) {
  if (!has_generated_bundle(ctx, record)) return;
  std::error_code ec;
  fsys::remove_all(ctx.globals().root / bundles_dir / record.id, ec);
}

}  // namespace nexcage::lifecycle
