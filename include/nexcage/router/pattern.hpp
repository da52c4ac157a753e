#pragma once
// The patterns of routing rules, matched against container ids and annotation values that come
// from the bundle. Both forms run on RE2, whose matching time is linear in the input: a 100 KB
// annotation or a pattern such as (a+)+$ can neither crash nor hang a create.
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace re2 {
class RE2;
}

namespace nexcage::router {

inline constexpr std::size_t max_pattern_bytes = 1024;

class Pattern {
 public:
  // fnmatch(3) without flags, byte for byte: `*` (any run, `/` included), `?`, `[...]` with `!`
  // or `^`, ranges and [:classes:], `\` quoting the next character.
  static Pattern glob(std::string_view glob);
  // RE2 syntax (https://github.com/google/re2/wiki/Syntax), anchored at both ends.
  static Pattern regex(std::string_view regex);
  // Both throw std::invalid_argument with the reason (empty, too long, does not compile).

  Pattern() = default;  // matches nothing
  bool matches(std::string_view value) const;

 private:
  explicit Pattern(std::shared_ptr<const re2::RE2> re) : re_(std::move(re)) {}
  std::shared_ptr<const re2::RE2> re_;
};

// The RE2 pattern equivalent to an fnmatch(3) glob (exposed for its unit test).
std::string glob_to_regex(std::string_view glob);

}  // namespace nexcage::router
