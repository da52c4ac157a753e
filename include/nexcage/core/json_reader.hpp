#pragma once
// Typed reads from JSON objects that record a Problem (the field's JSON path and what is wrong)
// instead of throwing, so one run reports every problem of a document: config.json, the pct
// backend's options and the config file all read their fields through this one reader.
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace nexcage {

struct Problem {
  std::string path;  // JSON path, e.g. "process.args[0]"
  std::string message;
};

// "invalid WHAT: N problem(s)", then "  path: message" on a line of its own for each.
std::string describe_problems(const std::string& what, const std::vector<Problem>& problems);

// "path.key", or "key" at the top level ("" path).
std::string child_path(const std::string& path, const std::string& key);
// "path[i]".
std::string index_path(const std::string& path, std::size_t i);

class JsonReader {
 public:
  // The reader's wording, which differs where its documents' readers expect it to.
  struct Words {
    // A null value counts as absent (OCI); otherwise it is a value of the wrong type.
    bool null_is_absent = true;
    // Integer ranges as bit widths ("an unsigned 32-bit integer"); otherwise as numbers ("a
    // whole number between 0 and 4294967295").
    bool ranges_as_bits = true;
    // The message for a key only_keys does not know, and whether it lists the known ones.
    std::string unknown_key = "unknown key";
    bool list_known = false;
  };

  explicit JsonReader(std::vector<Problem>& problems) : problems_(problems) {}
  JsonReader(std::vector<Problem>& problems, Words words)
      : problems_(problems), words_(std::move(words)) {}

  void problem(std::string path, std::string message) {
    problems_.push_back(Problem{std::move(path), std::move(message)});
  }

  // A problem for each key of `obj` not in `known`.
  void only_keys(const nlohmann::json& obj, const std::string& path,
                 const std::set<std::string>& known);

  // nullptr when absent; a problem when present with the wrong type.
  const nlohmann::json* object(const nlohmann::json& parent, const char* key,
                               const std::string& path);
  const nlohmann::json* array(const nlohmann::json& parent, const char* key,
                              const std::string& path);

  // True when the key was present and read into `out`.
  bool string(const nlohmann::json& parent, const char* key, const std::string& path,
              std::string& out);
  bool boolean(const nlohmann::json& parent, const char* key, const std::string& path, bool& out);
  void strings(const nlohmann::json& parent, const char* key, const std::string& path,
               std::vector<std::string>& out);
  void string_map(const nlohmann::json& parent, const char* key, const std::string& path,
                  std::map<std::string, std::string>& out);

  // Integers within T's range; a problem names the expected range.
  template <typename T>
  bool integer(const nlohmann::json& value, const std::string& path, T& out) {
    auto v = json_integer(value, std::numeric_limits<T>::min(), std::numeric_limits<T>::max());
    if (v) out = static_cast<T>(*v);
    if (!v) problem(path, "must be " + range_name<T>());
    return v.has_value();
  }
  template <typename T>
  bool integer(const nlohmann::json& parent, const char* key, const std::string& path, T& out) {
    const auto* v = present(parent, key);
    return v != nullptr && integer(*v, child_path(path, key), out);
  }
  template <typename T>
  void optional_integer(const nlohmann::json& parent, const char* key, const std::string& path,
                        std::optional<T>& out) {
    T v{};
    if (integer(parent, key, path, v)) out = v;
  }

  // `value` as an integer within [min, max]; nullopt when it is not one (a float, a string, out
  // of range).
  template <typename I>
  static std::optional<I> json_integer(const nlohmann::json& value, I min, I max) {
    static_assert(std::is_integral_v<I>);
    auto within = [&](auto v) -> std::optional<I> {
      if (std::cmp_less(v, min) || std::cmp_greater(v, max)) return std::nullopt;
      return static_cast<I>(v);
    };
    if (value.is_number_unsigned()) return within(value.get<uint64_t>());
    if (value.is_number_integer()) return within(value.get<int64_t>());
    return std::nullopt;
  }

 private:
  // The value at `key`, or nullptr when it is absent (or null, where null counts as absent).
  const nlohmann::json* present(const nlohmann::json& parent, const char* key) const;

  template <typename T>
  std::string range_name() const {
    if (!words_.ranges_as_bits)
      return "a whole number between " + std::to_string(std::numeric_limits<T>::min()) + " and " +
             std::to_string(std::numeric_limits<T>::max());
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
  Words words_;
};

}  // namespace nexcage
