#include "nexcage/core/container_id.hpp"

#include "nexcage/core/error.hpp"

namespace nexcage {

bool is_valid_container_id(std::string_view id) {
  if (id.empty() || id.size() > max_container_id_length || id.front() == '.') return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '+' || c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

void check_container_id(std::string_view id) {
  if (id.empty()) throw Error(ErrorKind::usage, "container id cannot be empty");
  if (!is_valid_container_id(id))
    throw Error(ErrorKind::usage, msg::invalid_id,
                "use 1-255 characters from A-Z a-z 0-9 _ + . - not starting with '.'");
}

}  // namespace nexcage
