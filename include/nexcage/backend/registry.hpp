#pragma once
// The one place that knows every driver: lifecycle/ names a backend by its config and gets the
// Backend API back, so nothing above this file includes a driver.
#include <memory>

#include "nexcage/backend/backend.hpp"
#include "nexcage/backend/backend_config.hpp"

namespace nexcage::backend {

// Creates the driver for a configured backend; an unknown name is invalid input.
std::unique_ptr<Backend> make_backend(const BackendConfig& config, const Globals& globals,
                                      process::Runner& runner);

}  // namespace nexcage::backend
