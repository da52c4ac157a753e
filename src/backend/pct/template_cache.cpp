#include "nexcage/backend/pct/template_cache.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "nexcage/backend/pct/pve_tools.hpp"
#include "nexcage/backend/pct/tree_digest.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/core/log.hpp"
#include "nexcage/core/unique_fd.hpp"
#include "nexcage/fs/files.hpp"
#include "nexcage/fs/lock.hpp"

namespace nexcage::backend::pct {

namespace fsys = std::filesystem;

namespace {

constexpr std::string_view template_prefix = "nexcage-";
constexpr std::string_view template_suffix = ".tar";

// Proxmox's COMMON_TAR_FLAGS (pve-container src/PVE/LXC/Create.pm), so the template unpacks the
// way Proxmox's own do: numeric owners, ACLs, xattrs including file capabilities, and "./"
// members (the ./dev/* exclude relies on them, and they keep the tar from looking like an OCI
// archive).
std::vector<std::string> tar_argv(const fsys::path& rootfs, const fsys::path& target) {
  return {"tar",      "-C",       rootfs.string(),           "--numeric-owner",
          "--acls",   "--xattrs", "--xattrs-include=user.*", "--xattrs-include=security.capability",
          "--sparse", "-cpf",     target.string(),           "."};
}

uint64_t size_of(const fsys::path& file) {
  struct stat st {};
  return ::stat(file.c_str(), &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
}

bool path_exists(const fsys::path& p) {
  struct stat st {};
  return ::lstat(p.c_str(), &st) == 0;
}

}  // namespace

TemplateCache::TemplateCache(PveFiles files, ToolPaths tools, process::Runner& runner,
                             fsys::path host_dir)
    : files_(std::move(files)),
      tools_(std::move(tools)),
      runner_(runner),
      users_dir_(template_users_dir(host_dir)),
      lock_file_(host_dir / "templates.lock") {}

std::string template_file_name(const std::string& digest) {
  return std::string(template_prefix) + digest + std::string(template_suffix);
}

std::optional<std::string> template_digest(const std::string& file_name) {
  std::string_view name(file_name);
  if (!name.starts_with(template_prefix) || !name.ends_with(template_suffix)) return std::nullopt;
  name.remove_prefix(template_prefix.size());
  name.remove_suffix(template_suffix.size());
  if (!is_template_digest(name)) return std::nullopt;
  return std::string(name);
}

bool is_template_digest(std::string_view digest) {
  return digest.size() == 64 &&
         digest.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

fsys::path template_users_dir(const fsys::path& host_dir) {
  return host_dir / "templates";
}

fsys::path TemplateCache::template_file(const std::string& digest) const {
  return fsys::path(files_.template_dir) / template_file_name(digest);
}

void TemplateCache::pack(const fsys::path& rootfs, const fsys::path& target, uint64_t content_bytes,
                         bool progress) {
  process::Command cmd;
  cmd.path = tools_.tar;
  cmd.argv = tar_argv(rootfs, target);
  cmd.env = PveTools::environment();
  log::debug("running " + process::describe(cmd.argv));
  int pid = runner_.spawn(cmd);
  int status = 0;
  auto last = std::chrono::steady_clock::now();
  for (;;) {
    pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (done < 0 && errno != EINTR) throw system_error("waiting for tar", errno);
    if (progress && std::chrono::steady_clock::now() - last > std::chrono::milliseconds(500)) {
      uint64_t written = size_of(target);
      unsigned percent =
          content_bytes == 0
              ? 100
              : static_cast<unsigned>(std::min<uint64_t>(100, written * 100 / content_bytes));
      auto line = fmt::format("\rpacking rootfs into a template: {:3}% ({} of {} MiB)", percent,
                              written >> 20, content_bytes >> 20);
      if (::write(2, line.data(), line.size()) < 0) progress = false;
      last = std::chrono::steady_clock::now();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (progress) {
    std::string clear = "\r\033[K";
    if (::write(2, clear.data(), clear.size()) < 0) {
    }
  }
  process::Exit exit{status};
  if (exit.code() != 0)
    throw Error(ErrorKind::backend,
                fmt::format("packing {} into a template: tar failed with exit status {}",
                            rootfs.string(), exit.code()),
                "tar's own message is above; check that the rootfs is readable and the template "
                "directory has space");
}

TemplateUse TemplateCache::acquire(const ContainerRef& user, const fsys::path& rootfs,
                                   bool progress) {
  if (!fs::is_directory(files_.template_dir, fs::Links::follow))
    throw Error(ErrorKind::invalid_input,
                "template directory " + files_.template_dir + " of storage '" +
                    files_.template_storage + "' does not exist",
                "set backends.pct.template_dir and template_storage to a storage with vztmpl "
                "content");
  auto digest = digest_tree(rootfs);
  fs::ensure_private_dir(users_dir_.parent_path(), host_dir_mode);
  auto lock = fs::FileLock::acquire(lock_file_, fs::FileLock::Mode::exclusive);
  TemplateUse use;
  use.digest = digest.hex;
  use.content_bytes = digest.content_bytes;
  use.volid = files_.template_storage + ":vztmpl/" + template_file_name(digest.hex);
  auto file = template_file(digest.hex);
  if (!path_exists(file)) {
    auto partial = fsys::path(files_.template_dir) /
                   ("." + std::string(template_prefix) + digest.hex + ".partial");
    ::unlink(partial.c_str());
    try {
      pack(rootfs, partial, digest.content_bytes, progress);
      UniqueFd packed(::open(partial.c_str(), O_RDONLY | O_CLOEXEC));
      if (!packed || ::fsync(packed.get()) < 0)
        throw system_error("writing " + partial.string(), errno);
      if (::rename(partial.c_str(), file.c_str()) < 0)
        throw system_error("renaming " + partial.string(), errno);
    } catch (...) {
      ::unlink(partial.c_str());
      throw;
    }
    use.packed = true;
  }
  fs::ensure_private_dir(users_dir_ / digest.hex, 0700);
  // The content is for people (and doctor): which container in which root holds the template.
  write_ref_file(users_dir_ / digest.hex / file_key(user), user);
  return use;
}

void TemplateCache::release(const ContainerRef& user) {
  if (!path_exists(users_dir_)) return;
  auto lock = fs::FileLock::acquire(lock_file_, fs::FileLock::Mode::exclusive);
  auto name = file_key(user);
  std::error_code ec;
  for (const auto& entry : fsys::directory_iterator(users_dir_, ec)) {
    auto file = entry.path() / name;
    if (!path_exists(file)) continue;
    ::unlink(file.c_str());
    if (!fsys::is_empty(entry.path(), ec)) continue;
    auto tar = template_file(entry.path().filename().string());
    if (::unlink(tar.c_str()) < 0 && errno != ENOENT)
      throw system_error("removing template " + tar.string(), errno);
    ::rmdir(entry.path().c_str());
    log::debug("removed template " + tar.string() + ": no container uses it");
  }
  if (ec) throw Error(ErrorKind::system, "reading " + users_dir_.string() + ": " + ec.message());
}

}  // namespace nexcage::backend::pct
