#include "nexcage/backend/pct/tree_digest.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <vector>

#include <fmt/format.h>

#include "nexcage/core/error.hpp"
#include "nexcage/core/sha256.hpp"
#include "nexcage/core/unique_fd.hpp"

namespace nexcage::backend::pct {

namespace fsys = std::filesystem;

namespace {

// Feeds `size` bytes of the open file to `h`.
void hash_file(Sha256& h, int fd, uint64_t size, const fsys::path& path) {
  std::vector<char> buffer(std::min<uint64_t>(size, 1 << 18));
  uint64_t done = 0;
  while (done < size) {
    ssize_t n = ::read(fd, buffer.data(), std::min<uint64_t>(buffer.size(), size - done));
    if (n < 0) {
      if (errno == EINTR) continue;
      throw system_error("hashing " + path.string(), errno);
    }
    if (n == 0) throw Error(ErrorKind::system, path.string() + " shrank while it was hashed");
    h.update(buffer.data(), static_cast<std::size_t>(n));
    done += static_cast<uint64_t>(n);
  }
}

std::string xattrs_of(const fsys::path& path) {
  std::vector<char> names(4096);
  ssize_t n;
  for (;;) {
    n = ::llistxattr(path.c_str(), names.data(), names.size());
    if (n >= 0) break;
    if (errno == ERANGE) {
      names.resize(names.size() * 4);
      continue;
    }
    if (errno == ENOTSUP) return {};
    throw system_error("listing extended attributes of " + path.string(), errno);
  }
  std::vector<std::string> sorted;
  for (ssize_t i = 0; i < n;) {
    std::string name(names.data() + i);
    i += static_cast<ssize_t>(name.size()) + 1;
    sorted.push_back(std::move(name));
  }
  std::sort(sorted.begin(), sorted.end());
  std::string out;
  for (const auto& name : sorted) {
    ssize_t len = ::lgetxattr(path.c_str(), name.c_str(), nullptr, 0);
    if (len < 0) throw system_error("reading attribute " + name + " of " + path.string(), errno);
    std::string value(static_cast<std::size_t>(len), '\0');
    len = ::lgetxattr(path.c_str(), name.c_str(), value.data(), value.size());
    if (len < 0) throw system_error("reading attribute " + name + " of " + path.string(), errno);
    value.resize(static_cast<std::size_t>(len));
    out += fmt::format("x{}:{}={}\n", name.size(), name, value.size()) + value;
  }
  return out;
}

}  // namespace

TreeDigest digest_tree(const fsys::path& root) {
  std::vector<fsys::path> entries;
  std::error_code ec;
  fsys::recursive_directory_iterator it(root, fsys::directory_options::none, ec), end;
  if (ec) throw Error(ErrorKind::system, "reading " + root.string() + ": " + ec.message());
  for (; it != end; it.increment(ec)) {
    if (ec) throw Error(ErrorKind::system, "reading " + root.string() + ": " + ec.message());
    entries.push_back(it->path().lexically_relative(root));
  }
  if (ec) throw Error(ErrorKind::system, "reading " + root.string() + ": " + ec.message());
  std::sort(entries.begin(), entries.end());

  Sha256 h;
  TreeDigest result;
  // tar packs a second name of a file as a hard link, so the digest records it as one.
  std::map<std::pair<dev_t, ino_t>, std::string> first_name;
  h.update(std::string("nexcage tree digest v1\n"));
  entries.insert(entries.begin(), fsys::path("."));
  for (const auto& rel : entries) {
    auto path = rel == "." ? root : root / rel;
    struct stat st {};
    if (::lstat(path.c_str(), &st) < 0) throw system_error("reading " + path.string(), errno);
    std::string name = rel.string();
    std::string head =
        fmt::format("e{}:{} m{:o} u{} g{}", name.size(), name, st.st_mode, st.st_uid, st.st_gid);
    if (S_ISREG(st.st_mode)) head += fmt::format(" s{}", st.st_size);
    bool second_name = false;
    if (S_ISREG(st.st_mode) && st.st_nlink > 1) {
      auto [seen, inserted] = first_name.emplace(std::make_pair(st.st_dev, st.st_ino), name);
      if (!inserted) {
        head += fmt::format(" h{}:{}", seen->second.size(), seen->second);
        second_name = true;
      }
    }
    if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
      head += fmt::format(" d{}:{}", major(st.st_rdev), minor(st.st_rdev));
    if (S_ISLNK(st.st_mode)) {
      std::error_code lec;
      auto target = fsys::read_symlink(path, lec).string();
      if (lec)
        throw Error(ErrorKind::system, "reading link " + path.string() + ": " + lec.message());
      head += fmt::format(" l{}:{}", target.size(), target);
    }
    h.update(head + "\n" + xattrs_of(path));
    if (S_ISREG(st.st_mode) && st.st_size > 0 && !second_name) {
      UniqueFd fd(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
      if (fd.get() < 0) throw system_error("reading " + path.string(), errno);
      hash_file(h, fd.get(), static_cast<uint64_t>(st.st_size), path);
      result.content_bytes += static_cast<uint64_t>(st.st_size);
    }
  }
  result.hex = h.finish();
  return result;
}

}  // namespace nexcage::backend::pct
