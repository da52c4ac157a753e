// The admin form of create. An admin names an image and a few Proxmox-style knobs; nexcage
// writes the OCI bundle a client would have written (the image's config.json with the knobs
// applied, routed to pct) and creates it like any other bundle, so the container behaves the
// same through every later command.
#include <sys/stat.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "internal.hpp"
#include "nexcage/backend/registry.hpp"
#include "nexcage/core/container_id.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/core/log.hpp"
#include "nexcage/core/search_path.hpp"
#include "nexcage/core/text.hpp"
#include "nexcage/fs/files.hpp"
#include "nexcage/fs/json_file.hpp"
#include "nexcage/oci/bundle.hpp"
#include "nexcage/process/runner.hpp"
#include "nexcage/router/config.hpp"
#include "nexcage/state/state_root.hpp"

namespace nexcage::lifecycle {

namespace fsys = std::filesystem;

namespace {

using state::bundles_dir;
// The admin form makes Proxmox containers.
constexpr const char* admin_backend = "pct";

using tool_paths::tar;
using tool_paths::umoci;
constexpr const char* ref_name = "org.opencontainers.image.ref.name";

bool is_layout(const fsys::path& dir) {
  return fs::is_regular_file(dir / "oci-layout", fs::Links::follow) &&
         fs::is_regular_file(dir / "index.json", fs::Links::follow);
}

enum class ImageKind { bundle, layout, archive, pve_template };

struct Image {
  ImageKind kind;
  fsys::path path;
  std::string tag;  // layout and archive: the tag asked for, or empty
};

Image checked_image(const std::string& image, const backend::AdminForm& form) {
  if (image.empty()) throw Error(ErrorKind::usage, "--image must not be empty");
  if (form.is_template(image)) return {ImageKind::pve_template, image, ""};
  auto path = fs::absolute_path(image);
  std::string tag;
  // DIR:TAG, as umoci and skopeo spell it, unless the whole text names an existing path.
  std::error_code ec;
  if (auto colon = image.rfind(':');
      !fsys::exists(path, ec) && colon != std::string::npos && colon > 0) {
    tag = image.substr(colon + 1);
    path = fs::absolute_path(image.substr(0, colon));
  }
  if (fs::is_directory(path, fs::Links::follow) &&
      fs::is_regular_file(path / "config.json", fs::Links::follow) && tag.empty())
    return {ImageKind::bundle, path, ""};
  if (fs::is_directory(path, fs::Links::follow) && is_layout(path))
    return {ImageKind::layout, path, tag};
  if (fs::is_regular_file(path, fs::Links::follow) && path.extension() == ".tar")
    return {ImageKind::archive, path, tag};
  throw Error(ErrorKind::usage,
              "--image " + image +
                  " is not a bundle directory, an OCI image layout or an OCI archive (.tar)",
              "pass a directory holding config.json and rootfs, or an OCI image layout DIR[:TAG]");
}

// The tag to unpack: the one asked for, or the layout's only one.
std::string pick_tag(const fsys::path& layout, const std::string& asked) {
  auto index = fs::read_json_file(layout / "index.json", (layout / "index.json").string());
  std::vector<std::string> tags;
  if (index.contains("manifests") && index["manifests"].is_array())
    for (const auto& m : index["manifests"])
      if (m.contains("annotations") && m["annotations"].is_object() &&
          m["annotations"].contains(ref_name) && m["annotations"][ref_name].is_string())
        tags.push_back(m["annotations"][ref_name].get<std::string>());
  auto list = join(tags, ", ");
  if (!asked.empty()) {
    if (std::find(tags.begin(), tags.end(), asked) == tags.end())
      throw Error(ErrorKind::usage,
                  "the image layout " + layout.string() + " has no tag \"" + asked + "\"",
                  tags.empty() ? std::string("it has no tagged manifest") : "its tags: " + list);
    return asked;
  }
  if (tags.size() == 1) return tags.front();
  throw Error(ErrorKind::usage,
              "the image layout " + layout.string() +
                  (tags.empty() ? " has no tagged manifest" : " has several tags"),
              tags.empty() ? std::string("tag one with umoci tag")
                           : "name one: --image " + layout.string() + ":TAG (tags: " + list + ")");
}

void run_tool(process::Runner& runner, const char* binary, std::vector<std::string> argv,
              const std::string& what) {
  if (::access(binary, X_OK) != 0)
    throw Error(ErrorKind::invalid_input,
                std::string(binary) + " is missing: it is needed to " + what,
                std::string("apt-get install ") + fsys::path(binary).filename().string());
  process::Command cmd;
  cmd.path = binary;
  cmd.argv = std::move(argv);
  cmd.env = {tool_path_env, "LANG=C"};
  log::debug("running " + process::describe(cmd.argv));
  auto r = runner.capture(cmd);
  if (r.exit.code() != 0) {
    auto err = last_line(r.err);
    throw Error(ErrorKind::invalid_input,
                what + ": " + (err.empty() ? "exit status " + std::to_string(r.exit.code()) : err));
  }
}

// umoci unpacks the image into a bundle: layers applied with whiteouts, paths kept inside the
// rootfs, and a config.json made from the image's config (entrypoint, cmd, env, user, cwd).
void unpack_image(process::Runner& runner, const Image& image, const fsys::path& bundle) {
  auto layout = image.path;
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
  if (image.kind == ImageKind::archive) {
    fs::ensure_private_dir(scratch, 0700);
    run_tool(runner, tar, {"tar", "-xf", image.path.string(), "-C", scratch.string()},
             "read the OCI archive " + image.path.string());
    if (!is_layout(scratch))
      throw Error(
          ErrorKind::usage,
          image.path.string() + " is a tar but not an OCI archive (no oci-layout, index.json)");
    layout = scratch;
  }
  auto tag = pick_tag(layout, image.tag);
  run_tool(runner, umoci,
           {"umoci", "unpack", "--image", layout.string() + ":" + tag, bundle.string()},
           "unpack " + layout.string() + ":" + tag);
}

// A single DNS label (RFC 1123): what pct's hostname check accepts for a container id.
bool is_hostname(const std::string& name) {
  if (name.empty() || name.size() > 63 || name.front() == '-' || name.back() == '-') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
  });
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

// The image's config.json with the admin's knobs applied.
nlohmann::json admin_config(const fsys::path& image, const ImageCreateRequest& r, bool from_image,
                            const backend::AdminForm& form) {
  const auto file = image / "config.json";
  auto doc = fs::read_json_file(file, file.string());
  if (from_image && doc.is_object()) {
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
      auto target = image / "rootfs" / dir;
      if (!fsys::exists(fsys::symlink_status(target, ec))) {
        fsys::create_directories(target, ec);
        if (ec) throw Error(ErrorKind::system, "creating " + target.string() + ": " + ec.message());
      }
    }
  }
  if (!doc.is_object())
    throw Error(ErrorKind::invalid_input, file.string() + ": not a JSON object");
  form.apply(doc, {r.storage, r.net, r.disk_gib, r.onboot});
  // The new bundle lives elsewhere, so the rootfs is named absolutely.
  if (doc.contains("root") && doc["root"].is_object() && doc["root"].contains("path") &&
      doc["root"]["path"].is_string()) {
    doc["root"]["path"] = fs::absolute_path(doc["root"]["path"].get<std::string>(), image).string();
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
  doc["annotations"][router::backend_annotation] = admin_backend;
  // The name is what the admin sees in `pct list` and the GUI; a bundle's own hostname is kept
  // only when the name cannot be one.
  if (is_hostname(r.name)) doc["hostname"] = r.name;
  return doc;
}

}  // namespace

std::string create_from_image(Context& ctx, const ImageCreateRequest& request) {
  check_container_id(request.name);
  const auto* form = backend::admin_form(admin_backend);
  if (form == nullptr)
    throw Error(ErrorKind::system,
                std::string("the ") + admin_backend + " backend has no admin form");
  auto image = checked_image(request.image, *form);
  auto bundle = ctx.globals().root / bundles_dir / request.name;
  state::prepare_root(ctx.globals().root);  // never chmod a root nexcage did not make
  fs::ensure_private_dir(ctx.globals().root / bundles_dir, 0700);
  std::error_code ec;
  if (ctx.store().peek(request.name)) throw Error(ErrorKind::exists, msg::already_exists);
  fsys::remove_all(bundle, ec);  // left by a create that crashed before claiming the id
  nlohmann::json doc;
  try {
    if (image.kind == ImageKind::bundle) {
      doc = admin_config(image.path, request, false, *form);
      fs::ensure_private_dir(bundle, 0700);
    } else if (image.kind == ImageKind::pve_template) {
      // A system container: the template's own /sbin/init, unpacked by pct from the template.
      fs::ensure_private_dir(bundle / "rootfs", 0700);
      auto spec = form->template_spec(image.path.string());
      fs::write_atomic(bundle / "config.json", spec.dump(2) + "\n", 0600);
      doc = admin_config(bundle, request, true, *form);
    } else {
      unpack_image(ctx.runner(), image, bundle);
      doc = admin_config(bundle, request, true, *form);
    }
    fs::write_atomic(bundle / "config.json", doc.dump(2) + "\n", 0600);
  } catch (...) {
    fsys::remove_all(bundle, ec);
    throw;
  }
  CreateRequest create;
  create.id = request.name;
  create.bundle = bundle.string();
  // The admin's terminal must not become the container's stdio: Proxmox runs it (its console).
  create.caller_stdio = false;
  create.backend_chosen_by = "create --image, which makes Proxmox containers";
  detail::Created created;
  try {
    created = detail::create_container(ctx, create);
  } catch (...) {
    fsys::remove_all(bundle, ec);
    throw;
  }
  if (request.start) start(ctx, request.name);
  auto driver = ctx.backend(created.record.backend);
  const auto* life = driver->outside_life();  // lives as long as `driver`
  auto vmid = life != nullptr ? life->outside_id(created.record) : std::nullopt;
  return (vmid ? std::to_string(*vmid) : request.name) + "\n";
}

// A bundle nexcage wrote for the admin form goes with its container.
void detail::remove_generated_bundle(const Context& ctx, const state::Record& record) {
  auto generated = ctx.globals().root / bundles_dir / record.id;
  if (fsys::path(record.bundle) != generated) return;
  std::error_code ec;
  fsys::remove_all(generated, ec);
}

}  // namespace nexcage::lifecycle
