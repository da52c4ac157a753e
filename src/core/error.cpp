#include "nexcage/core/error.hpp"

#include <cxxabi.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <new>
#include <system_error>
#include <typeinfo>

#include <nlohmann/json.hpp>

#include "nexcage/core/log.hpp"
#include "nexcage/core/text.hpp"

namespace nexcage {

int exit_code_for(ErrorKind kind) {
  // No default: a new kind must be given its code here.
  switch (kind) {
    case ErrorKind::usage:
    case ErrorKind::invalid_input:
    case ErrorKind::not_found:
    case ErrorKind::exists:
    case ErrorKind::wrong_state:
    case ErrorKind::backend:
    case ErrorKind::system:
    case ErrorKind::internal:
      return 1;
  }
  return 1;
}

std::string to_string(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::usage:
      return "usage";
    case ErrorKind::invalid_input:
      return "invalid_input";
    case ErrorKind::not_found:
      return "not_found";
    case ErrorKind::exists:
      return "exists";
    case ErrorKind::wrong_state:
      return "wrong_state";
    case ErrorKind::backend:
      return "backend";
    case ErrorKind::system:
      return "system";
    case ErrorKind::internal:
      return "internal";
  }
  return "internal";
}

Error::Error(ErrorKind kind, const std::string& message, const std::string& hint)
    : std::runtime_error(printable(message)), kind_(kind), hint_(printable(hint)) {}

Error& Error::said_by_backend(BackendWords words) {
  words.stderr_text = printable(words.stderr_text);
  words_ = std::move(words);
  return *this;
}

Error system_error(const std::string& what, int errnum) {
  return Error(ErrorKind::system, what + ": " + std::strerror(errnum));
}

namespace {

std::string type_name(const std::type_info& type) {
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> name(
      abi::__cxa_demangle(type.name(), nullptr, nullptr, &status), std::free);
  return status == 0 && name ? name.get() : type.name();
}

void keep_original(const std::exception& e) {
  log::debug("exception " + type_name(typeid(e)) + ": " + e.what());
}

}  // namespace

std::string without_json_tag(const char* what) {
  std::string text = what;
  if (auto end = text.find("] ");
      text.rfind("[json.exception.", 0) == 0 && end != std::string::npos)
    text.erase(0, end + 2);
  return text;
}

Error to_error(std::exception_ptr exception, const std::string& context) {
  try {
    std::rethrow_exception(exception);
  } catch (const Error& e) {
    return e;
  } catch (const std::filesystem::filesystem_error& e) {
    keep_original(e);
    std::string why =
        e.path1().empty() ? e.code().message() : e.path1().string() + ": " + e.code().message();
    return Error(ErrorKind::system, context + ": " + why);
  } catch (const std::system_error& e) {
    keep_original(e);
    return Error(ErrorKind::system, context + ": " + e.code().message());
  } catch (const std::bad_alloc& e) {
    keep_original(e);
    return Error(ErrorKind::system, context + ": out of memory");
  } catch (const nlohmann::json::exception& e) {
    keep_original(e);
    return Error(ErrorKind::internal, context + ": " + without_json_tag(e.what()));
  } catch (const std::exception& e) {
    keep_original(e);
    return Error(ErrorKind::internal, context + ": " + e.what());
  } catch (...) {
    log::debug("exception of a type that is not std::exception");
    return Error(ErrorKind::internal, context + ": unexpected failure");
  }
}

}  // namespace nexcage
