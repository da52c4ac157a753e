#pragma once
// Writing a whole buffer to a descriptor, which write(2) alone does not promise.
#include <string_view>

namespace nexcage {

// Writes all of `content`, retrying on EINTR and short writes. False, with errno set, on failure.
bool write_fully(int fd, std::string_view content);

}  // namespace nexcage
