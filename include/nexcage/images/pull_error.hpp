#pragma once
// What a registry answered, from skopeo's error line, in words that say what to do: skopeo
// ends a failure with one `level=fatal msg="..."` line that quotes the registry's answer.
#include <string>

#include "nexcage/core/error.hpp"

namespace nexcage::images {

enum class RegistryAnswer { unauthorized, not_found, tls, unreachable, other };

// The msg="..." text of skopeo's fatal line (Go-unquoted), or its last stderr line.
std::string skopeo_message(const std::string& skopeo_stderr);

RegistryAnswer classify_registry_answer(const std::string& message);

// The error for a failed pull of `image` from `registry`, naming the registry and what it
// answered, with the fix for that answer.
Error pull_error(const std::string& registry, const std::string& image,
                 const std::string& skopeo_stderr);

}  // namespace nexcage::images
