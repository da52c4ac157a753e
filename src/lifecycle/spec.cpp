#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "internal.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/fs/files.hpp"
#include "nexcage/oci/spec_template.hpp"

namespace nexcage::lifecycle {

void spec(const std::string& bundle, bool rootless) {
  auto dir = fs::absolute_path(bundle.empty() ? "." : bundle);
  auto file = dir / "config.json";
  auto content = oci::default_spec(rootless, ::getuid(), ::getgid()).dump(1, '\t') + "\n";
  // Write aside, then link(2): appears complete or not at all, and never replaces an existing file.
  auto tmp = dir / ".config.json.nexcage-spec";
  ::unlink(tmp.c_str());
  fs::write_atomic(tmp, content, 0644);
  if (::link(tmp.c_str(), file.c_str()) < 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    if (err == EEXIST)
      throw Error(ErrorKind::exists, "file " + file.string() + " exists", "remove it first");
    throw system_error("writing " + file.string(), err);
  }
  ::unlink(tmp.c_str());
}

}  // namespace nexcage::lifecycle
