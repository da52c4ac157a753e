#pragma once
// Man pages from the CLI description: nexcage(8), one nexcage-COMMAND(8) per command, and
// nexcage-config.json(5) from docs/configuration.md and nexcage-pct(7) from docs/backends/pct.md,
// so hints can send a package's user to a page it has.
#include <string>
#include <string_view>

#include "docgen/model.hpp"

namespace nexcage::docgen {

struct ManPage {
  std::string file_name;  // nexcage-create.8
  std::string text;
};

// `version` goes into the page footer ("nexcage 0.1.0").
// nexcage(8); its SETTINGS section is docs/configuration.md's "Where each setting comes from".
ManPage main_page(const Cli& cli, const std::string& version,
                  std::string_view configuration_md = {});
ManPage command_page(const Cli& cli, const Command& command, const std::string& version);
ManPage config_page(std::string_view configuration_md, const std::string& version);
ManPage pct_page(std::string_view pct_md, const std::string& version);

}  // namespace nexcage::docgen
