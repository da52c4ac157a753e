#pragma once
// Typed reads from a JSON object that record a Problem (with the field's JSON path) instead of
// throwing when a value has the wrong type or range.
#include <limits>
#include <string>
#include <vector>

#include "nexcage/oci/bundle.hpp"

namespace nexcage::oci::detail {

std::string join(const std::string& path, const std::string& key);
std::string index(const std::string& path, std::size_t i);

class Fields {
 public:
  explicit Fields(std::vector<Problem>& problems) : problems_(problems) {}

  void problem(std::string path, std::string message) {
    problems_.push_back(Problem{std::move(path), std::move(message)});
  }

  // nullptr when absent (or null); a problem when present with the wrong type.
  const nlohmann::json* object(const nlohmann::json& parent, const char* key,
                               const std::string& path);
  const nlohmann::json* array(const nlohmann::json& parent, const char* key,
                              const std::string& path);

  void string(const nlohmann::json& parent, const char* key, const std::string& path,
              std::string& out);
  void boolean(const nlohmann::json& parent, const char* key, const std::string& path, bool& out);
  void strings(const nlohmann::json& parent, const char* key, const std::string& path,
               std::vector<std::string>& out);
  void string_map(const nlohmann::json& parent, const char* key, const std::string& path,
                  std::map<std::string, std::string>& out);

  // Integers within T's range; a problem names the expected range.
  template <typename T>
  bool integer(const nlohmann::json& value, const std::string& path, T& out) {
    bool ok = false;
    if (value.is_number_unsigned()) {
      auto v = value.get<uint64_t>();
      ok = v <= static_cast<uint64_t>(std::numeric_limits<T>::max());
      if (ok) out = static_cast<T>(v);
    } else if (value.is_number_integer()) {
      auto v = value.get<int64_t>();
      ok = std::numeric_limits<T>::is_signed
               ? v >= static_cast<int64_t>(std::numeric_limits<T>::min())
               : v >= 0;
      if (ok && v > 0)
        ok = static_cast<uint64_t>(v) <= static_cast<uint64_t>(std::numeric_limits<T>::max());
      if (ok) out = static_cast<T>(v);
    }
    if (!ok) problem(path, std::string("must be ") + range_name<T>());
    return ok;
  }

  template <typename T>
  void integer(const nlohmann::json& parent, const char* key, const std::string& path, T& out) {
    auto it = parent.find(key);
    if (it != parent.end() && !it->is_null()) integer(*it, join(path, key), out);
  }

  template <typename T>
  void optional_integer(const nlohmann::json& parent, const char* key, const std::string& path,
                        std::optional<T>& out) {
    auto it = parent.find(key);
    if (it == parent.end() || it->is_null()) return;
    T v{};
    if (integer(*it, join(path, key), v)) out = v;
  }

 private:
  template <typename T>
  static const char* range_name() {
    if constexpr (std::is_same_v<T, uint32_t>)
      return "an unsigned 32-bit integer";
    else if constexpr (std::is_same_v<T, uint64_t>)
      return "an unsigned 64-bit integer";
    else if constexpr (std::is_same_v<T, uint16_t>)
      return "an unsigned 16-bit integer";
    else if constexpr (std::is_same_v<T, int>)
      return "a 32-bit integer";
    else
      return "a 64-bit integer";
  }

  std::vector<Problem>& problems_;
};

}  // namespace nexcage::oci::detail

namespace nexcage::oci {
// Checks of linux.seccomp (validate_seccomp.cpp), used by validate_spec.
void validate_seccomp(const Seccomp& seccomp, const std::string& path,
                      std::vector<Problem>& problems);
}  // namespace nexcage::oci
