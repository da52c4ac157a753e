#pragma once
// An image's User ("name", "uid", "name:group", "uid:gid"...) resolved as podman and PVE 9.1
// resolve it: through the image's own /etc/passwd and /etc/group, read inside the rootfs so an
// image's symlinks can never point at the host's files (umoci follows them to the host).
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace nexcage::images {

struct ImageUser {
  uint32_t uid = 0;
  uint32_t gid = 0;
  std::vector<uint32_t> additional_gids;  // groups listing the user by name, besides gid
  std::string home = "/";                 // the passwd entry's, else "/"
};

// Throws Error(invalid_input) naming the user or group the image's files lack, the way podman
// refuses it ("unable to find user app: no matching entries in passwd file").
ImageUser resolve_image_user(const std::filesystem::path& rootfs, const std::string& spec);
// The same from the two files' contents ("" for a missing file).
ImageUser resolve_user_in(const std::string& passwd, const std::string& group,
                          const std::string& spec);

}  // namespace nexcage::images
