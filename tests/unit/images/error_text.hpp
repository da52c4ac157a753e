#pragma once
// The message of the nexcage::Error a call throws, or "no error": the image tests check wording.
#include <functional>
#include <string>

#include "nexcage/core/error.hpp"

namespace nexcage::testing_support {

inline std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const nexcage::Error& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace nexcage::testing_support
