#include "nexcage/fs/json_file.hpp"

#include <fcntl.h>

#include <cerrno>

#include "nexcage/core/error.hpp"
#include "nexcage/core/unique_fd.hpp"
#include "nexcage/fs/files.hpp"

namespace nexcage::fs {

namespace {

// Nesting depth measured on the raw text (outside strings) before any DOM is built, so a
// document of a million '[' is refused without recursion or allocation.
std::optional<std::size_t> depth_violation(std::string_view text) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"')
      in_string = true;
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
  if (text.size() > max_json_bytes)
    throw Error(ErrorKind::invalid_input,
                what + ": document is larger than " + std::to_string(max_json_bytes) + " bytes");
  if (auto at = depth_violation(text))
    throw Error(ErrorKind::invalid_input, what + ": nested deeper than " +
                                              std::to_string(max_json_depth) + " levels at byte " +
                                              std::to_string(*at));
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw Error(ErrorKind::invalid_input, what + ": invalid JSON at byte " +
                                              std::to_string(e.byte) + ": " +
                                              without_json_tag(e.what()));
  } catch (const nlohmann::json::exception& e) {
    // out_of_range.406: a number beyond a double (1e400), found by the fuzzers; any other
    // parser exception is the document's fault as well.
    throw Error(ErrorKind::invalid_input, what + ": invalid JSON: " + without_json_tag(e.what()));
  }
}

nlohmann::json read_json_file(const std::filesystem::path& file, const std::string& what) {
  // Symlinks are followed (a bundle's config.json may be one). O_NONBLOCK keeps a FIFO without a
  // writer from hanging the open; a pipe is accepted (bash's <(...), /dev/fd/N, as runc accepts
  // them).
  int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    if (errno == ENOENT) {
      // Callers usually name the document by its path: "/x.json does not exist", said once.
      std::string subject = what == file.string() ? what : what + ": " + file.string();
      throw Error(ErrorKind::not_found, subject + " does not exist");
    }
    throw system_error("opening " + file.string(), errno);
  }
  UniqueFd owned(fd);
  auto text =
      read_opened_file(owned.get(), file, max_json_bytes, {.allow_pipe = true, .what = what});
  return parse_json_document(text, what);
}

}  // namespace nexcage::fs
