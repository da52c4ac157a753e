#include "internal.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/core/operation.hpp"
#include "nexcage/process/signals.hpp"

namespace nexcage::lifecycle {

void kill(Context& ctx, const std::string& id, const std::string& signal, bool all) {
  int number = process::parse_signal(signal);
  auto container = detail::open_or_adopt(ctx, id, fs::FileLock::Mode::shared);
  auto driver = ctx.backend_of(container.record());
  auto view = observe(ctx, container.record(), *driver);
  if (view.status == state::Status::stopped || view.status == state::Status::creating) {
    // containerd sends `kill --all <id> 9` after the init exited and expects success.
    if (all) return;
    throw Error(ErrorKind::wrong_state, msg::not_running);
  }
  if (auto* replacing = driver->in_place())
    replacing->kill_in_place(container.record(), number, all);
  operation::Step step("backend");
  driver->kill(container.record(), number, all);
}

}  // namespace nexcage::lifecycle
