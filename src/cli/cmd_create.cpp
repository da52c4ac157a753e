#include "commands.hpp"
#include "examples.hpp"
#include "nexcage/lifecycle/operations.hpp"

namespace nexcage::cli {

void add_create_flags(CLI::App& sub, lifecycle::CreateRequest& req) {
  sub.add_option("-b,--bundle", req.bundle,
                 "path to the bundle directory (default: current directory)")
      ->type_name("DIR");
  sub.add_option("--pid-file", req.pid_file, "file to write the init's host pid to")
      ->type_name("FILE");
  sub.add_option("--console-socket", req.console_socket,
                 "AF_UNIX socket that receives the pty master")
      ->type_name("SOCKET");
  sub.add_option("--preserve-fds", req.preserve_fds,
                 "pass N additional fds (3..3+N-1) to the container")
      ->type_name("N");
  sub.add_option("--pidfd-socket", "not supported: nexcage passes no pidfds")
      ->type_name("SOCKET")
      ->check([](const std::string&) {
        return std::string("--pidfd-socket is not supported by nexcage");
      });
  sub.add_flag("--no-pivot", req.no_pivot, "do not use pivot_root to jail the process");
  sub.add_flag("--no-new-keyring", req.no_new_keyring, "do not create a new session keyring");
  // A new id: the completions offer existing ids only where the type name is ID.
  add_id(sub, req.id)->type_name("NAME")->description("the new container's id");
}

namespace {

// The admin form's flags (docs/backends/pct.md, "Admin form").
void add_image_flags(CLI::App& sub, lifecycle::ImageCreateRequest& img) {
  sub.add_option("--image", img.image,
                 "admin form: the image: a registry image ([docker://]HOST/REPO[:TAG|@DIGEST], "
                 "busybox:1.36), an OCI image layout DIR[:TAG] or archive (.tar), a bundle "
                 "directory or a Proxmox template")
      ->type_name("IMAGE");
  sub.add_option("--name", img.name, "admin form: the new container's id")->type_name("NAME");
  sub.add_option("--memory", img.memory_mib, "admin form: memory limit in MiB")->type_name("MIB");
  sub.add_option("--cores", img.cores, "admin form: CPU limit in whole CPUs")->type_name("N");
  sub.add_option("--net", img.net,
                 "admin form: none, or bridge=NAME[,ip=dhcp|CIDR][,gw=IP][,tag=N][,mtu=N]")
      ->type_name("SPEC");
  sub.add_option("--storage", img.storage, "admin form: Proxmox storage for the rootfs")
      ->type_name("STORAGE");
  sub.add_option("--disk", img.disk_gib,
                 "admin form: rootfs size in GiB (default: the image's size x1.5 + 1 GiB)")
      ->type_name("GIB");
  sub.add_option("--pull", img.pull,
                 "admin form, registry images: missing (the default: the stored image when the "
                 "name was pulled before), always (ask the registry), never (the store only)")
      ->type_name("{missing,always,never}");
  sub.add_flag("--start", img.start, "admin form: start the container once created");
  sub.add_flag("--onboot", img.onboot,
               "admin form: Proxmox starts the container when the host boots");
  // After the container-id positional, which the admin form leaves empty: `create --image IMG
  // --name N -- sh -c ...` fills container-id with "sh" first; the callback joins them again.
  sub.add_option("command", img.command,
                 "admin form, after --: the command, replacing the image's Cmd")
      ->type_name("COMMAND");
}

}  // namespace

void add_create(CLI::App& app, Action& action) {
  auto req = std::make_shared<lifecycle::CreateRequest>();
  auto img = std::make_shared<lifecycle::ImageCreateRequest>();
  auto* sub = app.add_subcommand("create", "create a container from a bundle, ready for start");
  set_footer(
      *sub,
      "The backend is chosen here (--backend, the org.nexcage.backend annotation, the config's "
      "rules, default_backend, then the first of runc, crun installed) and recorded; every later "
      "command uses the recorded backend. The admin form, create --image IMAGE --name ID "
      "[-- COMMAND...], writes the bundle from the image (a registry image is pulled into the "
      "image store once, by digest) and routes it the same way, preferring pct on a Proxmox host; "
      "it prints the VMID of a Proxmox container, else the id.");
  add_create_flags(*sub, *req);
  sub->get_option("container-id")->required(false);
  add_image_flags(*sub, *img);
  sub->callback([&action, req, img, sub] {
    bool admin = !img->image.empty() || !img->name.empty();
    if (admin) {
      if (img->image.empty() || img->name.empty())
        throw CLI::ValidationError("create", "the admin form needs both --image and --name");
      // Words after the options are the command (CLI11 gives the first to container-id).
      if (!req->id.empty()) img->command.insert(img->command.begin(), req->id);
      for (const char* flag : {"--bundle", "--pid-file", "--console-socket", "--preserve-fds"}) {
        if (sub->get_option(flag)->count() > 0)
          throw CLI::ValidationError(
              "create", std::string(flag) + " belongs to the OCI form, not to --image");
      }
      action.run = [img](lifecycle::Context& ctx) {
        print(lifecycle::create_from_image(ctx, *img));
        return 0;
      };
      return;
    }
    for (const char* flag :
         {"--memory", "--cores", "--net", "--storage", "--disk", "--start", "--onboot", "--pull"}) {
      if (sub->get_option(flag)->count() > 0)
        throw CLI::ValidationError(
            "create", std::string(flag) + " belongs to the admin form: add --image and --name");
    }
    if (req->id.empty()) throw CLI::RequiredError("container-id");
    if (!img->command.empty())
      throw CLI::ValidationError(
          "create", "unexpected argument " + img->command.front() + " after the container id");
    action.run = [req](lifecycle::Context& ctx) {
      lifecycle::create(ctx, *req);
      return 0;
    };
  });
}

}  // namespace nexcage::cli
