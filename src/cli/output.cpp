#include <unistd.h>

#include <cerrno>

#include "commands.hpp"
#include "nexcage/core/error.hpp"

namespace nexcage::cli {

void print(const std::string& text) {
  const char* p = text.data();
  std::size_t left = text.size();
  while (left > 0) {
    ssize_t w = ::write(1, p, left);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) throw system_error("writing to stdout", errno);
    p += w;
    left -= static_cast<std::size_t>(w);
  }
}

CLI::Option* add_id(CLI::App& sub, std::string& id) {
  return sub.add_option("container-id", id, "the container's id")->type_name("ID")->required();
}

}  // namespace nexcage::cli
