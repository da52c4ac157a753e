#include "nexcage/oci/bundle.hpp"
#include "nexcage/fs/files.hpp"
#include "nexcage/fs/json_file.hpp"

#include <sys/stat.h>

#include "nexcage/core/error.hpp"

namespace nexcage::oci {

Bundle load_bundle(const std::filesystem::path& dir) {
  if (!fs::is_directory(dir, fs::Links::follow))
    throw Error(ErrorKind::not_found, "bundle " + dir.string() + " is not a directory",
                "pass --bundle with the directory holding config.json and the root filesystem");
  auto file = dir / "config.json";
  struct stat st {};
  if (::stat(file.c_str(), &st) < 0)
    throw Error(ErrorKind::not_found, "config.json not found in bundle " + dir.string(),
                "create one with `nexcage spec --bundle " + dir.string() + "`");
  auto doc = fs::read_json_file(file, file.string());
  std::vector<Problem> problems;
  Bundle bundle;
  bundle.dir = dir;
  bundle.spec = spec_from_json(doc, problems);
  if (problems.empty()) problems = validate_spec(bundle.spec, dir);
  if (!problems.empty())
    throw Error(ErrorKind::invalid_input, describe_problems(file.string(), problems));
  auto rootfs = std::filesystem::path(bundle.spec.root.path);
  bundle.rootfs = (rootfs.is_relative() ? dir / rootfs : rootfs).lexically_normal();
  return bundle;
}

}  // namespace nexcage::oci
