#include "nexcage/core/error.hpp"
#include "nexcage/doctor/checks.hpp"

namespace nexcage::doctor {

router::Config check_config(const Options& options, Report& report) {
  try {
    auto config = router::load_config(options.config_file, options.config_env);
    report.add("config", Severity::ok,
               config.source == "built-in defaults" ? "no config file: built-in defaults"
                                                    : config.source + ": valid");
    return config;
  } catch (const Error& e) {
    report.add("config", Severity::problem, e.what(),
               e.hint().empty() ? "see man nexcage-config.json" : e.hint());
    return router::default_config();  // the other checks still run, against the defaults
  }
}

}  // namespace nexcage::doctor
