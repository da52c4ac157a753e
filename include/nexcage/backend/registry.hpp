#pragma once
// The one place that knows every driver: lifecycle/ names a backend by its config and gets the
// Backend API back, so nothing above this file includes a driver.
#include <memory>

#include "nexcage/backend/admin_form.hpp"
#include "nexcage/backend/backend.hpp"
#include "nexcage/backend/backend_config.hpp"

namespace nexcage::backend {

// Creates the driver for a configured backend; an unknown name is invalid input.
std::unique_ptr<Backend> make_backend(const BackendConfig& config, const Globals& globals,
                                      process::Runner& runner);

// The admin form's policy of a backend, or nullptr for one that has none. Needs no configuration,
// so an image is judged before any backend is set up.
const AdminForm* admin_form(const std::string& backend);

}  // namespace nexcage::backend
