#include "nexcage/backend/pct/tree_digest.hpp"

#include <fcntl.h>
#include <linux/if_alg.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include <fmt/format.h>

#include "nexcage/core/error.hpp"

namespace nexcage::backend::pct {

namespace fsys = std::filesystem;

namespace {

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

// One SHA-256 computation in the kernel. Data is sent with MSG_MORE until finish() reads the
// digest.
class Sha256 {
 public:
  Sha256() : tfm_(::socket(AF_ALG, SOCK_SEQPACKET | SOCK_CLOEXEC, 0)) {
    if (tfm_.get() < 0) throw system_error("opening the kernel's crypto interface (AF_ALG)", errno);
    sockaddr_alg sa{};
    sa.salg_family = AF_ALG;
    std::strcpy(reinterpret_cast<char*>(sa.salg_type), "hash");
    std::strcpy(reinterpret_cast<char*>(sa.salg_name), "sha256");
    if (::bind(tfm_.get(), reinterpret_cast<sockaddr*>(&sa), sizeof sa) < 0)
      throw system_error("binding AF_ALG to sha256 (is the algif_hash module available?)", errno);
    op_fd_ = ::accept4(tfm_.get(), nullptr, nullptr, SOCK_CLOEXEC);
    if (op_fd_ < 0) throw system_error("starting a sha256 operation", errno);
  }
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  ~Sha256() {
    if (op_fd_ >= 0) ::close(op_fd_);
  }

  void update(const void* data, std::size_t size) {
    const char* p = static_cast<const char*>(data);
    while (size > 0) {
      ssize_t n = ::send(op_fd_, p, size, MSG_MORE);
      if (n < 0) {
        if (errno == EINTR) continue;
        throw system_error("hashing", errno);
      }
      p += n;
      size -= static_cast<std::size_t>(n);
    }
  }
  void update(const std::string& s) { update(s.data(), s.size()); }

  // read() and send() rather than sendfile(): sendfile ends its last chunk without MSG_MORE,
  // which would close the hash in the middle of the tree.
  void update_file(int fd, uint64_t size, const fsys::path& path) {
    std::vector<char> buffer(std::min<uint64_t>(size, 1 << 18));
    uint64_t done = 0;
    while (done < size) {
      ssize_t n = ::read(fd, buffer.data(), std::min<uint64_t>(buffer.size(), size - done));
      if (n < 0) {
        if (errno == EINTR) continue;
        throw system_error("hashing " + path.string(), errno);
      }
      if (n == 0) throw Error(ErrorKind::system, path.string() + " shrank while it was hashed");
      update(buffer.data(), static_cast<std::size_t>(n));
      done += static_cast<uint64_t>(n);
    }
  }

  std::string finish() {
    if (::send(op_fd_, nullptr, 0, 0) < 0) throw system_error("hashing", errno);
    unsigned char digest[32];
    ssize_t n = ::read(op_fd_, digest, sizeof digest);
    if (n != static_cast<ssize_t>(sizeof digest)) throw system_error("reading a sha256 digest", errno);
    std::string hex;
    for (unsigned char c : digest) hex += fmt::format("{:02x}", c);
    return hex;
  }

 private:
  Fd tfm_;
  int op_fd_ = -1;
};

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

std::string sha256_hex(const std::string& data) {
  Sha256 h;
  h.update(data);
  return h.finish();
}

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
  h.update(std::string("nexcage tree digest v1\n"));
  entries.insert(entries.begin(), fsys::path("."));
  for (const auto& rel : entries) {
    auto path = rel == "." ? root : root / rel;
    struct stat st{};
    if (::lstat(path.c_str(), &st) < 0) throw system_error("reading " + path.string(), errno);
    std::string name = rel.string();
    std::string head = fmt::format("e{}:{} m{:o} u{} g{}", name.size(), name, st.st_mode, st.st_uid,
                                   st.st_gid);
    if (S_ISREG(st.st_mode)) head += fmt::format(" s{}", st.st_size);
    if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
      head += fmt::format(" d{}:{}", major(st.st_rdev), minor(st.st_rdev));
    if (S_ISLNK(st.st_mode)) {
      std::error_code lec;
      auto target = fsys::read_symlink(path, lec).string();
      if (lec) throw Error(ErrorKind::system, "reading link " + path.string() + ": " + lec.message());
      head += fmt::format(" l{}:{}", target.size(), target);
    }
    h.update(head + "\n" + xattrs_of(path));
    if (S_ISREG(st.st_mode) && st.st_size > 0) {
      Fd fd(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
      if (fd.get() < 0) throw system_error("reading " + path.string(), errno);
      h.update_file(fd.get(), static_cast<uint64_t>(st.st_size), path);
      result.content_bytes += static_cast<uint64_t>(st.st_size);
    }
  }
  result.hex = h.finish();
  return result;
}

}  // namespace nexcage::backend::pct
