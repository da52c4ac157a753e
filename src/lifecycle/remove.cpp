#include "internal.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/core/operation.hpp"

namespace nexcage::lifecycle {

void detail::remove_container(Context& ctx, const std::string& id, bool force, bool in_place) {
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
  // What is left is the backend's delete and dropping the record: the backend's delete replaces
  // nexcage, the record saying so, and the next command that meets the record drops it once the
  // backend no longer keeps the container (detail::settled). A bundle nexcage generated goes
  // with the container, so that delete stays nexcage's.
  auto* replacing = in_place ? driver->in_place() : nullptr;
  if (replacing != nullptr && replacing->keeps(container->record()) &&
      !detail::has_generated_bundle(ctx, container->record())) {
    container->record().handover =
        detail::handover_by_this_process(state::Handover::Command::remove);
    ctx.store().save(*container, fs::Durability::unsynced);
    ctx.store().note_handover(id);
    operation::Step step("backend");
    replacing->remove_in_place(container->record(), kill_first);
  }
  detail::destroy(ctx, std::move(*container), *driver, kill_first);
}

void remove(Context& ctx, const std::string& id, bool force) {
  detail::remove_container(ctx, id, force, true);
}

}  // namespace nexcage::lifecycle
