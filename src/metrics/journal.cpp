#include "nexcage/metrics/journal.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <vector>

#include "nexcage/core/error.hpp"
#include "nexcage/core/io.hpp"
#include "nexcage/core/log.hpp"
#include "nexcage/core/unique_fd.hpp"
#include "nexcage/fs/files.hpp"

namespace nexcage::metrics {

namespace {

constexpr const char* journal_name = "journal";
constexpr const char* totals_name = "totals";
constexpr const char* lock_name = "lock";
constexpr std::size_t max_totals_bytes = 16 * 1024 * 1024;
constexpr std::size_t max_journal_bytes = 256 * 1024 * 1024;

// <root>/.metrics, made (0700) when missing; an invalid fd when the root is missing or not yet
// marked as nexcage's (a directory given as --root that no create has taken over: a file in it
// now would make it a directory nexcage must refuse, state/state_root.hpp).
UniqueFd open_metrics_dir(const std::filesystem::path& root) {
  UniqueFd root_fd(::open(root.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!root_fd) {
    if (errno == ENOENT) return UniqueFd();
    throw system_error("opening state root " + root.string(), errno);
  }
  struct stat marker {};
  if (::fstatat(root_fd.get(), root_marker, &marker, AT_SYMLINK_NOFOLLOW) < 0) return UniqueFd();
  if (::mkdirat(root_fd.get(), metrics_dir, 0700) < 0 && errno != EEXIST)
    throw system_error("making " + (root / metrics_dir).string(), errno);
  UniqueFd dir(
      ::openat(root_fd.get(), metrics_dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!dir) throw system_error("opening " + (root / metrics_dir).string(), errno);
  return dir;
}

bool same_file(const struct stat& a, const struct stat& b) {
  return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

// Opens the current journal with a flock of `operation` held, retrying while a fold renames it
// between the open and the lock. An invalid fd when there is no journal and `create` is false.
UniqueFd open_locked_journal(int dir, int flags, int operation) {
  for (;;) {
    UniqueFd fd(::openat(dir, journal_name, flags | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (!fd) {
      if (errno == ENOENT && (flags & O_CREAT) == 0) return UniqueFd();
      throw system_error("opening the metrics journal", errno);
    }
    while (::flock(fd.get(), operation) < 0)
      if (errno != EINTR) throw system_error("locking the metrics journal", errno);
    struct stat opened {
    }, named{};
    if (::fstat(fd.get(), &opened) < 0) throw system_error("reading the metrics journal", errno);
    if (::fstatat(dir, journal_name, &named, AT_SYMLINK_NOFOLLOW) == 0 && same_file(opened, named))
      return fd;
    if (!S_ISREG(opened.st_mode))
      throw Error(ErrorKind::system, "the metrics journal is not a regular file");
  }
}

std::string read_at(int dir, const std::string& name, std::size_t max_bytes) {
  UniqueFd fd(::openat(dir, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd) throw system_error("opening metrics file " + name, errno);
  return fs::read_opened_file(fd.get(), name, max_bytes, fs::ReadRules{false, "metrics file"});
}

// The sequence numbers of journal.<n> files a fold left (it died before removing them).
std::vector<uint64_t> folded_journals(int dir) {
  std::vector<uint64_t> found;
  UniqueFd copy(::openat(dir, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!copy) throw system_error("reading the metrics directory", errno);
  DIR* d = ::fdopendir(copy.get());
  if (d == nullptr) throw system_error("reading the metrics directory", errno);
  copy.release();
  const std::string prefix = std::string(journal_name) + ".";
  while (struct dirent* entry = ::readdir(d)) {
    std::string_view name = entry->d_name;
    if (name.rfind(prefix, 0) != 0) continue;
    auto digits = name.substr(prefix.size());
    uint64_t n = 0;
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    if (ec == std::errc() && ptr == digits.data() + digits.size()) found.push_back(n);
  }
  ::closedir(d);
  std::sort(found.begin(), found.end());
  return found;
}

Totals read_totals(int dir) {
  struct stat st {};
  if (::fstatat(dir, totals_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
    if (errno == ENOENT) return Totals{};
    throw system_error("reading the metrics totals", errno);
  }
  try {
    return parse_totals(read_at(dir, totals_name, max_totals_bytes));
  } catch (const Error& e) {
    // Counters that restart are what Prometheus handles; a metrics file never stops a command.
    log::warn(std::string(e.what()) + ": the operation counts start again from zero");
    return Totals{};
  }
}

void fold_file(int dir, const std::string& name, Totals& totals) {
  std::size_t bad = totals.add_lines(read_at(dir, name, max_journal_bytes));
  if (bad != 0) log::warn("metrics journal: skipped " + std::to_string(bad) + " damaged line(s)");
}

void write_totals(const std::filesystem::path& path, const Totals& totals) {
  fs::write_atomic(path / totals_name, serialize(totals), 0600, fs::Durability::unsynced);
}

// With `lock` held exclusively: every journal into the totals, in order.
Totals fold(int dir, const std::filesystem::path& path) {
  Totals totals = read_totals(dir);
  for (uint64_t n : folded_journals(dir)) {
    std::string name = std::string(journal_name) + "." + std::to_string(n);
    if (n > totals.folded_through) {
      fold_file(dir, name, totals);
      totals.folded_through = n;
      write_totals(path, totals);
    }
    ::unlinkat(dir, name.c_str(), 0);
  }
  UniqueFd journal = open_locked_journal(dir, O_RDONLY, LOCK_EX);
  if (!journal) return totals;
  uint64_t next = totals.folded_through + 1;
  std::string name = std::string(journal_name) + "." + std::to_string(next);
  if (::renameat(dir, journal_name, dir, name.c_str()) < 0)
    throw system_error("renaming the metrics journal", errno);
  journal.reset();  // appends waiting for it find the journal renamed and make a new one
  fold_file(dir, name, totals);
  totals.folded_through = next;
  write_totals(path, totals);
  ::unlinkat(dir, name.c_str(), 0);
  return totals;
}

}  // namespace

void append(const std::filesystem::path& root, const Sample& sample) {
  try {
    auto line = sample_line(sample);
    if (!line) return;
    UniqueFd dir = open_metrics_dir(root);
    if (!dir) return;
    struct stat st {};
    {
      UniqueFd journal = open_locked_journal(dir.get(), O_WRONLY | O_APPEND | O_CREAT, LOCK_SH);
      if (!write_fully(journal.get(), *line))
        throw system_error("appending to the metrics journal", errno);
      if (::fstat(journal.get(), &st) < 0) return;
    }
    if (static_cast<std::size_t>(st.st_size) < fold_threshold) return;
    // Whoever finds the journal large folds it, unless a fold is running already.
    auto path = root / metrics_dir;
    UniqueFd lock(::openat(dir.get(), lock_name, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (!lock || ::flock(lock.get(), LOCK_EX | LOCK_NB) < 0) return;
    fold(dir.get(), path);
  } catch (const std::exception& e) {
    log::debug(std::string("metrics: ") + e.what());
  }
}

Totals collect(const std::filesystem::path& root) {
  UniqueFd dir = open_metrics_dir(root);
  if (!dir) return Totals{};
  auto path = root / metrics_dir;
  UniqueFd lock(::openat(dir.get(), lock_name, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (!lock) throw system_error("opening " + (path / lock_name).string(), errno);
  while (::flock(lock.get(), LOCK_EX) < 0)
    if (errno != EINTR) throw system_error("locking " + (path / lock_name).string(), errno);
  return fold(dir.get(), path);
}

}  // namespace nexcage::metrics
