#include "internal.hpp"
#include "nexcage/core/error.hpp"

namespace nexcage::lifecycle {

void remove(Context& ctx, const std::string& id, bool force) {
  std::optional<state::Container> container;
  try {
    container.emplace(detail::open_or_adopt(ctx, id, fs::FileLock::Mode::exclusive));
  } catch (const Error& e) {
    // runc and crun: `delete --force` of an unknown container succeeds (containerd relies on it).
    if (e.kind() == ErrorKind::not_found && force) return;
    throw;
  }
  auto driver = ctx.backend_of(container->record());
  auto view = observe(ctx, container->record(), *driver);
  bool live = view.status == state::Status::running || view.status == state::Status::paused;
  if (live && !force)
    throw Error(
        ErrorKind::wrong_state,
        "cannot delete container " + id + " that is not stopped: " + state::to_string(view.status),
        "stop it first, or use delete --force");
  // A created container is killed and destroyed even without --force, as runc does; so is what
  // an abandoned create may have left in the backend.
  bool kill_first = force || view.status != state::Status::stopped ||
                    container->record().status == state::Status::creating;
  detail::destroy(ctx, std::move(*container), *driver, kill_first);
}

}  // namespace nexcage::lifecycle
