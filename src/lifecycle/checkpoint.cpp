// checkpoint and restore: CRIU through runc or crun, with nexcage's record kept in step.
#include <unistd.h>

#include "internal.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/fs/files.hpp"

namespace nexcage::lifecycle {

namespace {

constexpr const char* criu_backends = "checkpoint and restore need runc or crun with CRIU";

// A path option made whole; an unset one stays unset (the backend's default).
std::string under(const std::filesystem::path& base, const std::string& path) {
  return path.empty() ? std::string() : fs::absolute_path(path, base).string();
}

// The flags with the image path made whole: `image_base` resolves a given image path, and the
// default ./checkpoint is the caller's; `base` resolves the work path.
backend::CriuOptions criu_options(const CriuFlags& f, const std::filesystem::path& image_base,
                                  const std::filesystem::path& base) {
  backend::CriuOptions o;
  o.image_path = f.image_path.empty() ? under(fs::absolute_path("."), "checkpoint")
                                      : under(image_base, f.image_path);
  o.work_path = under(base, f.work_path);
  o.tcp_established = f.tcp_established;
  o.ext_unix_sk = f.ext_unix_sk;
  o.shell_job = f.shell_job;
  o.file_locks = f.file_locks;
  o.auto_dedup = f.auto_dedup;
  o.lazy_pages = f.lazy_pages;
  o.manage_cgroups_mode = f.manage_cgroups_mode;
  o.empty_ns = f.empty_ns;
  return o;
}

}  // namespace

void checkpoint(Context& ctx, const CheckpointRequest& request) {
  auto container = detail::open_or_adopt(ctx, request.id, fs::FileLock::Mode::exclusive);
  auto driver = ctx.backend_of(container.record());
  auto* checkpointing = driver->checkpointing();
  if (checkpointing == nullptr)
    throw Error(ErrorKind::invalid_input,
                "the " + driver->name() + " backend cannot checkpoint containers", criu_backends);
  // The backend runs elsewhere, so paths are made whole here, from the caller's directory.
  auto cwd = fs::absolute_path(".");
  backend::CheckpointCall call;
  call.criu = criu_options(request.criu, cwd, cwd);
  call.parent_path = request.parent_path;
  call.leave_running = request.leave_running;
  call.pre_dump = request.pre_dump;
  call.page_server = request.page_server;
  checkpointing->checkpoint(container.record(), call);
  if (call.leave_running || call.pre_dump) return;
  // The backend destroyed the dumped container: it no longer exists for nexcage either.
  detail::destroy(ctx, std::move(container), *driver, false);
}

int restore(Context& ctx, const RestoreRequest& request) {
  auto prepared = detail::prepare_create(ctx, request.create);
  if (auto* one_step = prepared.driver->one_step_run();
      one_step == nullptr || !one_step->serves(false))
    throw Error(ErrorKind::invalid_input,
                "the " + prepared.driver->name() + " backend cannot restore containers",
                criu_backends);
  const auto& bundle = prepared.bundle.dir;
  // runc takes its default image from the caller's directory, and opens a given relative path
  // after it changed into the bundle.
  backend::RestoreOptions options;
  options.criu = criu_options(request.criu, bundle, bundle);
  options.no_subreaper = request.no_subreaper;
  options.lsm_profile = request.lsm_profile;
  options.lsm_mount_context = request.lsm_mount_context;
  RunRequest run;
  run.create = request.create;
  run.detach = request.detach;
  return detail::run_in_one_step(ctx, run, std::move(prepared), &options);
}

}  // namespace nexcage::lifecycle
