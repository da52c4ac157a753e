#include "nexcage/images/image_user.hpp"

#include <algorithm>
#include <charconv>
#include <optional>
#include <sstream>

#include "nexcage/core/error.hpp"
#include "nexcage/fs/in_root.hpp"

namespace nexcage::images {

namespace {

// The files of a real image are a few KiB; this bound only stops a hostile one.
constexpr std::size_t max_account_file = 16 << 20;

struct Entry {
  std::vector<std::string> fields;
};

std::vector<Entry> parse_entries(const std::string& text) {
  std::vector<Entry> entries;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line.front() == '#') continue;
    Entry e;
    std::size_t start = 0;
    for (;;) {
      auto colon = line.find(':', start);
      e.fields.push_back(line.substr(start, colon - start));
      if (colon == std::string::npos) break;
      start = colon + 1;
    }
    entries.push_back(std::move(e));
  }
  return entries;
}

std::optional<uint32_t> number(const std::string& text) {
  uint32_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// passwd: name:password:uid:gid:gecos:home:shell. A line without numeric ids is skipped, as
// one with too few fields is.
const Entry* find_user(const std::vector<Entry>& passwd, const std::string& name,
                       std::optional<uint32_t> uid) {
  for (const auto& e : passwd) {
    if (e.fields.size() < 4 || !number(e.fields[2]) || !number(e.fields[3])) continue;
    if (uid ? number(e.fields[2]) == uid : e.fields[0] == name) return &e;
  }
  return nullptr;
}

// group: name:password:gid:member,member
const Entry* find_group(const std::vector<Entry>& group, const std::string& name,
                        std::optional<uint32_t> gid) {
  for (const auto& e : group) {
    if (e.fields.size() < 3 || !number(e.fields[2])) continue;
    if (gid ? number(e.fields[2]) == gid : e.fields[0] == name) return &e;
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

  auto passwd = parse_entries(passwd_text);
  auto uid = number(user_part);
  const Entry* entry = find_user(passwd, user_part, uid);
  std::string user_name;
  if (entry != nullptr) {
    user.uid = *number(entry->fields[2]);
    user.gid = *number(entry->fields[3]);
    user_name = entry->fields[0];
    if (entry->fields.size() > 5 && !entry->fields[5].empty()) user.home = entry->fields[5];
  } else if (uid) {
    user.uid = *uid;  // a number the image does not list runs with gid 0, as in runc and podman
  } else {
    throw Error(ErrorKind::invalid_input,
                "the image's user \"" + user_part + "\" is not in its /etc/passwd",
                "the image is broken, or give a numeric User; nexcage never reads the host's "
                "accounts for an image");
  }

  auto group = parse_entries(group_text);
  if (!group_part.empty()) {
    auto gid = number(group_part);
    const Entry* g = find_group(group, group_part, gid);
    if (g != nullptr) {
      user.gid = *number(g->fields[2]);
    } else if (gid) {
      user.gid = *gid;
    } else {
      throw Error(ErrorKind::invalid_input,
                  "the image's group \"" + group_part + "\" is not in its /etc/group");
    }
  } else if (!user_name.empty()) {
    // Supplementary groups come from membership only when the group was not named, as in runc.
    for (const auto& e : group) {
      if (e.fields.size() < 4) continue;
      auto gid = number(e.fields[2]);
      if (!gid || *gid == user.gid) continue;
      std::istringstream members(e.fields[3]);
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
