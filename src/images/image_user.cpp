#include "nexcage/images/image_user.hpp"

#include <algorithm>
#include <optional>
#include <sstream>

#include "nexcage/core/account_file.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/core/text.hpp"
#include "nexcage/fs/in_root.hpp"

namespace nexcage::images {

namespace {

// The files of a real image are a few KiB; this bound only stops a hostile one.
constexpr std::size_t max_account_file = 16 << 20;

// passwd: name:password:uid:gid:gecos:home:shell. A line without numeric ids is skipped, as
// one with too few fields is.
const AccountEntry* find_user(const std::vector<AccountEntry>& passwd, const std::string& name,
                              std::optional<uint32_t> uid) {
  for (const auto& e : passwd) {
    if (e.size() < 4 || !parse_u32(e[2]) || !parse_u32(e[3])) continue;
    if (uid ? parse_u32(e[2]) == uid : e[0] == name) return &e;
  }
  return nullptr;
}

// group: name:password:gid:member,member
const AccountEntry* find_group(const std::vector<AccountEntry>& group, const std::string& name,
                               std::optional<uint32_t> gid) {
  for (const auto& e : group) {
    if (e.size() < 3 || !parse_u32(e[2])) continue;
    if (gid ? parse_u32(e[2]) == gid : e[0] == name) return &e;
  }
  return nullptr;
}

}  // namespace

ImageUser resolve_image_user(const std::filesystem::path& rootfs, const std::string& spec) {
  auto passwd = fs::read_file_in_root(rootfs, "/etc/passwd", max_account_file);
  auto group = fs::read_file_in_root(rootfs, "/etc/group", max_account_file);
  return resolve_user_in(passwd.value_or(""), group.value_or(""), spec);
}

ImageUser resolve_user_in(const std::string& passwd_text, const std::string& group_text,
                          const std::string& spec) {
  ImageUser user;
  auto colon = spec.find(':');
  std::string user_part = spec.substr(0, colon);
  std::string group_part = colon == std::string::npos ? std::string() : spec.substr(colon + 1);
  if (user_part.empty() && !group_part.empty())
    throw Error(ErrorKind::invalid_input, "the image's User \"" + spec + "\" names no user");
  if (user_part.empty()) user_part = "0";

  auto passwd = parse_account_file(passwd_text);
  auto uid = parse_u32(user_part);
  const AccountEntry* entry = find_user(passwd, user_part, uid);
  std::string user_name;
  if (entry != nullptr) {
    user.uid = *parse_u32((*entry)[2]);
    user.gid = *parse_u32((*entry)[3]);
    user_name = (*entry)[0];
    if (entry->size() > 5 && !(*entry)[5].empty()) user.home = (*entry)[5];
  } else if (uid) {
    user.uid = *uid;  // a number the image does not list runs with gid 0, as in runc and podman
  } else {
    throw Error(ErrorKind::invalid_input,
                "the image's user \"" + user_part + "\" is not in its /etc/passwd",
                "the image is broken, or give a numeric User; nexcage never reads the host's "
                "accounts for an image");
  }

  auto group = parse_account_file(group_text);
  if (!group_part.empty()) {
    auto gid = parse_u32(group_part);
    const AccountEntry* g = find_group(group, group_part, gid);
    if (g != nullptr) {
      user.gid = *parse_u32((*g)[2]);
    } else if (gid) {
      user.gid = *gid;
    } else {
      throw Error(ErrorKind::invalid_input,
                  "the image's group \"" + group_part + "\" is not in its /etc/group");
    }
  } else if (!user_name.empty()) {
    // Supplementary groups come from membership only when the group was not named, as in runc.
    for (const auto& e : group) {
      if (e.size() < 4) continue;
      auto gid = parse_u32(e[2]);
      if (!gid || *gid == user.gid) continue;
      std::istringstream members(e[3]);
      std::string member;
      while (std::getline(members, member, ','))
        if (member == user_name &&
            std::find(user.additional_gids.begin(), user.additional_gids.end(), *gid) ==
                user.additional_gids.end())
          user.additional_gids.push_back(*gid);
    }
  }
  return user;
}

}  // namespace nexcage::images
