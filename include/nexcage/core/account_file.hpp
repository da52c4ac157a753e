#pragma once
// The colon-separated account files, /etc/passwd and /etc/group, read as runc's user package
// reads them: the file itself, never NSS. nexcage is linked statically, and glibc's NSS would
// load its modules at run time; runc's `list` names owners from /etc/passwd the same way.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nexcage {

// One line's fields, in order; blank lines and lines starting with '#' are skipped.
using AccountEntry = std::vector<std::string>;

std::vector<AccountEntry> parse_account_file(std::string_view text);

// passwd (name:password:uid:gid:gecos:home:shell): the name of the first entry with numeric uid
// and gid whose uid is `uid`.
std::optional<std::string> user_name_of(const std::vector<AccountEntry>& passwd, uint32_t uid);

}  // namespace nexcage
