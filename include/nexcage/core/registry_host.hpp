#pragma once
// A registry's host[:port] as distribution/reference's grammar spells it: DNS labels of letters,
// digits and '-' joined by '.', or a bracketed IPv6 address, and a port of at most five digits.
// One grammar for image references and for the config file's images.insecure_registries, so an
// entry the config accepts is one a reference can name.
#include <string_view>

namespace nexcage {

bool is_registry_host(std::string_view host_and_port);

}  // namespace nexcage
