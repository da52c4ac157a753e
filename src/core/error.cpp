#include "nexcage/core/error.hpp"

#include <cstring>

#include "nexcage/core/text.hpp"

namespace nexcage {

Error::Error(ErrorKind kind, const std::string& message, const std::string& hint, int exit_code)
    : std::runtime_error(printable(message)), kind_(kind), hint_(printable(hint)), exit_code_(exit_code) {}

Error Error::wrap(const std::string& context) const {
  return Error(kind_, context + ": " + what(), hint_, exit_code_);
}

Error Error::with_exit_code(int code) const {
  Error copy = *this;
  copy.exit_code_ = code;
  return copy;
}

Error& Error::said_by_backend(BackendWords words) {
  words.stderr_text = printable(words.stderr_text);
  words_ = std::move(words);
  return *this;
}

Error system_error(const std::string& what, int errnum) {
  return Error(ErrorKind::system, what + ": " + std::strerror(errnum));
}

}  // namespace nexcage
