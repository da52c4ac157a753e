// checkpoint and restore: CRIU through runc or crun, with nexcage's record kept in step.
#include <unistd.h>

#include "internal.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/fs/files.hpp"

namespace nexcage::lifecycle {

namespace {

// A path option made whole; an unset one stays unset (the backend's default).
std::string under(const std::filesystem::path& base, const std::string& path) {
  return path.empty() ? std::string() : fs::absolute_path(path, base).string();
}

}  // namespace

void checkpoint(Context& ctx, const CheckpointRequest& request) {
  auto container = detail::open_or_adopt(ctx, request.id, fs::FileLock::Mode::exclusive);
  auto driver = ctx.backend_of(container.record());
  auto call = request.call;
  // runc's default is ./checkpoint; the backend runs elsewhere, so the path is made whole here.
  auto cwd = fs::absolute_path(".");
  call.criu.image_path = under(cwd, call.criu.image_path.empty() ? "checkpoint" : call.criu.image_path);
  call.criu.work_path = under(cwd, call.criu.work_path);
  driver->checkpoint(container.record(), call);
  if (call.leave_running || call.pre_dump) return;
  // The backend destroyed the dumped container: it no longer exists for nexcage either.
  detail::destroy(ctx, std::move(container), *driver, false);
}

int restore(Context& ctx, const RestoreRequest& request) {
  auto prepared = detail::prepare_create(ctx, request.create);
  if (!prepared.driver->runs_in_one_step(false))
    throw Error(ErrorKind::invalid_input, "the " + prepared.driver->name() + " backend cannot restore containers",
                "checkpoint and restore need runc or crun with CRIU");
  auto options = request.options;
  const auto& bundle = prepared.bundle.dir;
  // runc takes its default image from the caller's directory, and opens a given relative path
  // after it changed into the bundle.
  options.criu.image_path = options.criu.image_path.empty() ? under(fs::absolute_path("."), "checkpoint")
                                                            : under(bundle, options.criu.image_path);
  options.criu.work_path = under(bundle, options.criu.work_path);
  RunRequest run;
  run.create = request.create;
  run.detach = request.detach;
  return detail::run_in_one_step(ctx, run, std::move(prepared), &options);
}

}  // namespace nexcage::lifecycle
