#pragma once
// Findings reported and not fixed yet (crashes/README.md). A longer campaign may step over them
// to look further with NEXCAGE_FUZZ_SKIP_KNOWN=1; CI leaves it unset, so a known finding still
// fails the fuzz.* tests. Add an entry with a finding, delete it with the fix. None is open now
// (the JSON number overflow was fixed in parse_json_document; rules' regexes are RE2 now).
#include <cstdlib>
#include <string_view>

namespace nexcage_fuzz {

inline bool skip_known() {
  static const bool skip = [] {
    const char* v = std::getenv("NEXCAGE_FUZZ_SKIP_KNOWN");
    return v != nullptr && std::string_view(v) == "1";
  }();
  return skip;
}

}  // namespace nexcage_fuzz
