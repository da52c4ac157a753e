#include "nexcage/images/runtime_config.hpp"

#include "nexcage/core/error.hpp"
#include "nexcage/core/json_reader.hpp"
#include "nexcage/core/search_path.hpp"
#include "nexcage/core/text.hpp"
#include "nexcage/fs/in_root.hpp"
#include "nexcage/images/image_user.hpp"
#include "nexcage/oci/spec_template.hpp"

namespace nexcage::images {

namespace {

// Object keys ("80/tcp": {}) as a list.
void keys(JsonReader& reader, const nlohmann::json& config, const char* key,
          std::vector<std::string>& out) {
  if (const auto* obj = reader.object(config, key, "config"))
    for (const auto& [name, value] : obj->items()) out.push_back(name);
}

}  // namespace

ImageConfig parse_image_config(const nlohmann::json& blob, const std::string& image) {
  std::vector<Problem> problems;
  JsonReader reader(problems);
  ImageConfig c;
  const auto* config = reader.object(blob, "config", "");
  if (config != nullptr) {
    reader.string(*config, "User", "config", c.user);
    reader.strings(*config, "Env", "config", c.env);
    reader.strings(*config, "Entrypoint", "config", c.entrypoint);
    reader.strings(*config, "Cmd", "config", c.cmd);
    reader.string(*config, "WorkingDir", "config", c.working_dir);
    keys(reader, *config, "Volumes", c.volumes);
    keys(reader, *config, "ExposedPorts", c.exposed_ports);
    reader.string(*config, "StopSignal", "config", c.stop_signal);
    reader.string_map(*config, "Labels", "config", c.labels);
  }
  for (std::size_t i = 0; i < c.env.size(); ++i)
    if (c.env[i].find('=') == std::string::npos || c.env[i].front() == '=')
      reader.problem(index_path("config.Env", i), "must be NAME=VALUE");
  if (!c.working_dir.empty() && c.working_dir.front() != '/')
    reader.problem("config.WorkingDir", "must be an absolute path");
  for (const auto& v : c.volumes)
    if (v.empty() || v.front() != '/')
      reader.problem("config.Volumes", "\"" + v + "\" is not absolute");
  // A NUL would cut a path or an argument short where the kernel reads it.
  auto no_nul = [&](const std::string& path, const std::vector<std::string>& values) {
    for (const auto& v : values)
      if (v.find('\0') != std::string::npos) reader.problem(path, "must not contain a NUL byte");
  };
  no_nul("config.User", {c.user});
  no_nul("config.Env", c.env);
  no_nul("config.Entrypoint", c.entrypoint);
  no_nul("config.Cmd", c.cmd);
  no_nul("config.WorkingDir", {c.working_dir});
  no_nul("config.Volumes", c.volumes);
  if (!problems.empty())
    throw Error(ErrorKind::invalid_input, describe_problems("image config of " + image, problems));
  return c;
}

namespace {

bool has_name(const std::vector<std::string>& env, const std::string& name) {
  for (const auto& e : env)
    if (e.compare(0, name.size() + 1, name + "=") == 0) return true;
  return false;
}

}  // namespace

ImageBundle bundle_from_image(const ImageBundleInput& input) {
  auto c = parse_image_config(input.image_config, input.image);
  ImageBundle out;
  nlohmann::json spec = oci::default_spec(false, 0, 0);
  auto& process = spec["process"];

  std::vector<std::string> args = c.entrypoint;
  const auto& cmd = input.command.empty() ? c.cmd : input.command;
  args.insert(args.end(), cmd.begin(), cmd.end());
  if (args.empty())
    throw Error(ErrorKind::usage,
                "the image " + input.image + " names no command (no Entrypoint, no Cmd)",
                "give one after --: nexcage create --image " + input.image +
                    " --name NAME -- /bin/sh -c '...'");
  process["args"] = args;
  process["terminal"] = false;
  process["cwd"] = c.working_dir.empty() ? "/" : c.working_dir;

  auto user = resolve_image_user(input.rootfs, c.user);
  process["user"] = {{"uid", user.uid}, {"gid", user.gid}};
  if (!user.additional_gids.empty()) process["user"]["additionalGids"] = user.additional_gids;

  // The image's Env in its order, a PATH when it has none and HOME from its passwd (podman).
  std::vector<std::string> env = c.env;
  if (!has_name(env, "PATH")) env.insert(env.begin(), default_path_env);
  if (!has_name(env, "HOME")) env.push_back("HOME=" + user.home);
  process["env"] = env;

  // Images are run writable, as podman and Proxmox run them.
  spec["root"] = {{"path", "rootfs"}, {"readonly", false}};

  auto& annotations = spec["annotations"];
  annotations = nlohmann::json::object();
  for (const auto& [key, value] : c.labels) annotations[key] = value;
  if (!c.stop_signal.empty()) annotations[stop_signal_annotation] = c.stop_signal;

  // Nothing is mounted over a volume: its directory is the rootfs's own, kept with the container.
  for (const auto& volume : c.volumes) fs::make_dirs_in_root(input.rootfs, volume, 0755);
  if (!c.working_dir.empty()) fs::make_dirs_in_root(input.rootfs, c.working_dir, 0755);
  if (!c.exposed_ports.empty())
    out.notes.push_back("the image exposes " + join(c.exposed_ports, ", ") +
                        ": nexcage publishes no ports; the container's own network decides what "
                        "is reachable");
  out.config = std::move(spec);
  return out;
}

}  // namespace nexcage::images
