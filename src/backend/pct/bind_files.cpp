#include "nexcage/backend/pct/bind_files.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <map>
#include <system_error>

#include "nexcage/backend/pct/driver_config.hpp"
#include "nexcage/backend/pct/owner_file.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/fs/files.hpp"

namespace nexcage::backend::pct {

namespace fsys = std::filesystem;

bool parents_searchable_by(const fsys::path& path, uid_t uid, gid_t gid) {
  auto dir = path.parent_path();
  while (true) {
    struct stat st {};
    if (::stat(dir.c_str(), &st) < 0) return false;
    mode_t bit = st.st_uid == uid ? S_IXUSR : st.st_gid == gid ? S_IXGRP : S_IXOTH;
    if ((st.st_mode & bit) == 0) return false;
    if (dir == dir.root_path() || dir.empty()) return true;
    dir = dir.parent_path();
  }
}

fsys::path bind_files_dir(const fsys::path& host_dir, const fsys::path& backend_root,
                          const std::string& id) {
  return host_dir / "files" / file_key({backend_root, id});
}

namespace {

bool is_bind(const oci::Mount& m) {
  return m.type == "bind" ||
         std::find(m.options.begin(), m.options.end(), "bind") != m.options.end() ||
         std::find(m.options.begin(), m.options.end(), "rbind") != m.options.end();
}

}  // namespace

std::size_t copy_unreachable_bind_files(const oci::Spec& spec, HostFacts& facts,
                                        const fsys::path& dir, uid_t uid, gid_t gid) {
  std::map<std::string, std::string> copied;  // source as written -> copy
  for (std::size_t i = 0; i < spec.mounts.size(); ++i) {
    const auto& m = spec.mounts[i];
    if (!is_bind(m) || copied.count(m.source)) continue;
    auto fact = facts.paths.find(m.source);
    if (fact == facts.paths.end() || fact->second.kind != PathKind::file) continue;
    const std::string source = fact->second.resolved.empty() ? m.source : fact->second.resolved;
    if (parents_searchable_by(source, uid, gid)) continue;
    const std::string field = "mounts[" + std::to_string(i) + "].source";
    struct stat st {};
    if (::stat(source.c_str(), &st) < 0) throw system_error(field + ": " + source, errno);
    if (!S_ISREG(st.st_mode)) continue;  // the translation refuses what is no longer a file
    if (static_cast<std::size_t>(st.st_size) > max_bind_file_copy_bytes)
      throw Error(ErrorKind::invalid_input,
                  field + ": \"" + source + "\" is in a directory the container's root (host uid " +
                      std::to_string(uid) + ") cannot enter, and at " + std::to_string(st.st_size) +
                      " bytes it is too large for nexcage to copy (at most " +
                      std::to_string(max_bind_file_copy_bytes) + ")",
                  "let that uid search its parent directories (chmod o+x), or move the file");
    fs::ensure_private_dir(dir, host_dir_mode);
    auto copy = dir / ("mount-" + std::to_string(i));
    fs::write_atomic(copy, fs::read_regular_file(source, max_bind_file_copy_bytes),
                     st.st_mode & 0777);
    if (::lchown(copy.c_str(), uid, gid) < 0) throw system_error("chown " + copy.string(), errno);
    copied[m.source] = copy.string();
  }
  for (const auto& [source, copy] : copied) facts.paths[source] = HostPath{PathKind::file, copy};
  return copied.size();
}

void remove_bind_files(const fsys::path& dir) {
  std::error_code ec;
  fsys::remove_all(dir, ec);
  if (ec) throw system_error("removing " + dir.string(), ec.value());
}

}  // namespace nexcage::backend::pct
