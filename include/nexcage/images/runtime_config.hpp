#pragma once
// config.json for a bundle made from an image, mapped as podman and Proxmox VE 9.1 map an image
// config: Entrypoint + Cmd (Cmd replaced by the caller's command), Env (PATH defaulted),
// WorkingDir, User through the image's own accounts, Volumes as directories, StopSignal and Labels
// as annotations; ExposedPorts are not published and only noted. The rest is `runc spec`'s
// defaults.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace nexcage::images {

inline constexpr const char* stop_signal_annotation = "org.opencontainers.image.stopSignal";

// The fields of an image config ("config" of the config blob) nexcage maps.
struct ImageConfig {
  std::string user;
  std::vector<std::string> env, entrypoint, cmd;
  std::string working_dir;
  std::vector<std::string> volumes, exposed_ports;
  std::string stop_signal;
  std::map<std::string, std::string> labels;
};

// Throws Error(invalid_input) listing every field of the wrong type or form, by JSON path.
ImageConfig parse_image_config(const nlohmann::json& blob, const std::string& image);

struct ImageBundleInput {
  nlohmann::json image_config;       // the image's config blob ("config", "os", ...)
  std::filesystem::path rootfs;      // already unpacked
  std::vector<std::string> command;  // replaces Cmd when not empty
  std::string image;                 // how the admin named the image, for messages
};

struct ImageBundle {
  nlohmann::json config;           // the bundle's config.json, root.path "rootfs"
  std::vector<std::string> notes;  // what the image asks for that nexcage does not do
};

// Also makes the image's Volumes as directories in the rootfs (inside it, never through a
// symlink to the host). Throws Error(invalid_input) naming the image config field at fault.
ImageBundle bundle_from_image(const ImageBundleInput& input);

}  // namespace nexcage::images
