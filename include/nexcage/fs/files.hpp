#pragma once
// File primitives for state that must survive crashes: atomic replacement, bounded reads that
// refuse symlinks, directory fsync.
#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace nexcage::fs {

enum class Durability { synced, unsynced };
// Writes `content` to `file` through a temp file in the same directory and a rename. Readers see
// the old or the new content, never a mix (temp file + rename). `synced` also survives a crash
// (fsync of the file and the directory); `unsynced` is for hints that are worthless after a reboot
// anyway.
void write_atomic(const std::filesystem::path& file, std::string_view content, mode_t mode,
                  Durability durability = Durability::synced);

// nexcage::write_fully (core/io.hpp) that throws; `what` names the file in errors.
void write_all(int fd, std::string_view content, const std::string& what);

// How read_opened_file judges what it was given.
struct ReadRules {
  bool allow_pipe = false;  // a FIFO is read to its end as well
  std::string what;  // the document's name, prefixed to errors ("config.json: /b/config.json ...")
};
// Reads an open file to its end: a regular file (or a pipe, when allowed) of at most max_bytes;
// anything else is Error(invalid_input) naming the file.
std::string read_opened_file(int fd, const std::filesystem::path& file, std::size_t max_bytes,
                             const ReadRules& rules);

// Reads a regular file opened with O_NOFOLLOW; refuses symlinks, non-regular files and files
// larger than max_bytes with an error naming the file.
std::string read_regular_file(const std::filesystem::path& file, std::size_t max_bytes);
// The same for `relative` below the open directory dir_fd (`file` names it in errors), one
// openat with no lookup from /; nullopt when it does not exist (ENOENT, or ENOTDIR where a
// component is a file).
std::optional<std::string> read_regular_file_at(int dir_fd, const std::string& relative,
                                                const std::filesystem::path& file,
                                                std::size_t max_bytes);

// Reads at most max_bytes from a file such as /proc/<pid>/cgroup; returns false if it does not
// exist.
bool read_proc_file(const std::filesystem::path& file, std::string& out, std::size_t max_bytes);
// The same for a file the kernel produces whole in one go (one seq_file record: /proc/<pid>/stat,
// freezer.state, cgroup.events), whose first read shorter than the buffer is all of it: one read
// fewer than read_proc_file, which `list` does for every container.
bool read_proc_record(const std::filesystem::path& file, std::string& out, std::size_t max_bytes);

// Reads an open fd to EOF, failing past max_bytes. `expected` (from fstat) sizes the buffer, so
// a small file never costs a max-sized allocation. With `regular` (a regular file, whose reads
// return short only at its end, or a kernel file made in one go: read_proc_record) a read that
// leaves the buffer unfilled is taken as the end, without one more read(2) to see 0.
bool read_fd_bounded(int fd, std::size_t expected, std::size_t max_bytes, std::string& out,
                     bool regular = false);

void fsync_dir(const std::filesystem::path& dir);

// Creates dir (and parents) if missing and makes sure dir itself is a real directory (not a
// symlink) with exactly `mode`.
void ensure_private_dir(const std::filesystem::path& dir, mode_t mode);

// A regular file (symlinks followed) that this process may execute: what a backend binary or
// tool path must be before nexcage runs it.
bool is_executable_file(const std::filesystem::path& path);

// What a path is, without throwing: false for a path that is absent or unreadable.
// Links::refuse looks at a symlink itself (lstat), which then is neither.
enum class Links { follow, refuse };
bool is_directory(const std::filesystem::path& path, Links links);
bool is_regular_file(const std::filesystem::path& path, Links links);

// Absolute form of a user-given path against the current directory (no symlink resolution).
std::filesystem::path absolute_path(const std::filesystem::path& p);
// The same against `base` (an absolute directory), as a path in a bundle is the bundle's.
std::filesystem::path absolute_path(const std::filesystem::path& p,
                                    const std::filesystem::path& base);

}  // namespace nexcage::fs
