#pragma once
#include <string>
#include <string_view>

namespace nexcage {

inline constexpr std::size_t max_container_id_length = 255;  // one directory name

// runc >= 1.2 and crun rules: [A-Za-z0-9_+.-], not starting with '.', at most 255 bytes.
bool is_valid_container_id(std::string_view id);

// Throws Error(usage, "invalid container ID format") with a hint naming the allowed characters.
void check_container_id(std::string_view id);

}  // namespace nexcage
