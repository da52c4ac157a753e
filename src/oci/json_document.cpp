#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "nexcage/core/error.hpp"
#include "nexcage/fs/files.hpp"
#include "nexcage/oci/bundle.hpp"

namespace nexcage::oci {

namespace {

// Nesting depth measured on the raw text (outside strings) before any DOM is built, so a
// document of a million '[' is refused without recursion or allocation.
std::optional<std::size_t> depth_violation(std::string_view text) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '[' || c == '{') {
      if (++depth > max_json_depth) return i;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return std::nullopt;
}

}  // namespace

nlohmann::json parse_json_document(std::string_view text, const std::string& what) {
  if (text.size() > max_config_bytes)
    throw Error(ErrorKind::invalid_input,
                what + ": document is larger than " + std::to_string(max_config_bytes) + " bytes");
  if (auto at = depth_violation(text))
    throw Error(ErrorKind::invalid_input, what + ": nested deeper than " +
                                              std::to_string(max_json_depth) + " levels at byte " +
                                              std::to_string(*at));
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    // e.what() is "[json.exception.parse_error.101] parse error at line 1, column 2: ..."
    std::string detail = e.what();
    auto pos = detail.find("] ");
    if (pos != std::string::npos) detail = detail.substr(pos + 2);
    throw Error(ErrorKind::invalid_input,
                what + ": invalid JSON at byte " + std::to_string(e.byte) + ": " + detail);
  } catch (const nlohmann::json::exception& e) {
    // out_of_range.406: a number beyond a double (1e400), found by the fuzzers; any other
    // parser exception is the document's fault as well.
    std::string detail = e.what();
    auto pos = detail.find("] ");
    if (pos != std::string::npos) detail = detail.substr(pos + 2);
    throw Error(ErrorKind::invalid_input, what + ": invalid JSON: " + detail);
  }
}

nlohmann::json read_json_file(const std::filesystem::path& file, const std::string& what) {
  // Symlinks are followed (a bundle's config.json may be one); the target must be a regular file
  // or a pipe.
  int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    if (errno == ENOENT) {
      // Callers usually name the document by its path: "/x.json does not exist", said once.
      std::string subject = what == file.string() ? what : what + ": " + file.string();
      throw Error(ErrorKind::not_found, subject + " does not exist");
    }
    throw system_error("opening " + file.string(), errno);
  }
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st{};
  if (::fstat(fd, &st) < 0) throw system_error("inspecting " + file.string(), errno);
  // A pipe is accepted too (bash's <(...), /dev/fd/N, as runc accepts them); it is read to its
  // end, so the non-blocking open (which kept a FIFO without a writer from hanging) is undone.
  bool pipe = S_ISFIFO(st.st_mode);
  if (!S_ISREG(st.st_mode) && !pipe)
    throw Error(ErrorKind::invalid_input, what + ": " + file.string() + " is not a regular file or a pipe");
  if (pipe && ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK) < 0)
    throw system_error("reading " + file.string(), errno);
  if (static_cast<std::size_t>(st.st_size) > max_config_bytes)
    throw Error(ErrorKind::invalid_input,
                what + ": " + file.string() + " is larger than " + std::to_string(max_config_bytes) + " bytes");
  std::string text;
  if (!fs::read_fd_bounded(fd, static_cast<std::size_t>(st.st_size), max_config_bytes, text))
    throw Error(ErrorKind::invalid_input,
                what + ": " + file.string() + " is larger than " + std::to_string(max_config_bytes) + " bytes");
  return parse_json_document(text, what);
}

}  // namespace nexcage::oci
