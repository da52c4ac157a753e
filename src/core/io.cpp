#include "nexcage/core/io.hpp"

#include <unistd.h>

#include <cerrno>

namespace nexcage {

bool write_fully(int fd, std::string_view content) {
  while (!content.empty()) {
    ssize_t w = ::write(fd, content.data(), content.size());
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) return false;
    content.remove_prefix(static_cast<std::size_t>(w));
  }
  return true;
}

}  // namespace nexcage
