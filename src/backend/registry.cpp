#include "nexcage/backend/registry.hpp"

#include "nexcage/backend/oci_cli/driver.hpp"
#include "nexcage/backend/pct/admin_form.hpp"
#include "nexcage/backend/pct/driver.hpp"
#include "nexcage/core/error.hpp"

namespace nexcage::backend {

std::unique_ptr<Backend> make_backend(const BackendConfig& config, const Globals& globals,
                                      process::Runner& runner) {
  if (config.name == "runc" || config.name == "crun")
    return std::make_unique<oci_cli::Driver>(config, globals, runner);
  if (config.name == "pct") return std::make_unique<pct::Driver>(config, globals, runner);
  throw Error(ErrorKind::invalid_input, "unknown backend \"" + config.name + "\"");
}

const AdminForm* admin_form(const std::string& backend) {
  static const pct::AdminForm pct_form;
  return backend == "pct" ? &pct_form : nullptr;
}

}  // namespace nexcage::backend
