#pragma once
#include <string>
#include <vector>

#include "nexcage/oci/bundle.hpp"

namespace nexcage::oci {
// Checks of linux.seccomp (validate_seccomp.cpp), used by validate_spec.
void validate_seccomp(const Seccomp& seccomp, const std::string& path,
                      std::vector<Problem>& problems);
}  // namespace nexcage::oci
