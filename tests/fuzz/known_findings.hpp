#pragma once
// Findings reported and not fixed yet (crashes/README.md). A longer campaign may step over them
// to look further with NEXCAGE_FUZZ_SKIP_KNOWN=1; CI leaves it unset, so a known finding still
// fails the fuzz.* tests. Delete each entry with its fix.
#include <cstdlib>
#include <string_view>

#include <nlohmann/json.hpp>

namespace nexcage_fuzz {

inline bool skip_known() {
  static const bool skip = [] {
    const char* v = std::getenv("NEXCAGE_FUZZ_SKIP_KNOWN");
    return v != nullptr && std::string_view(v) == "1";
  }();
  return skip;
}

// crashes/*-json-number-overflow: parse_json_document turns nlohmann's parse_error into
// nexcage::Error but lets out_of_range.406 (a number beyond a double, "1e400") through.
// Rethrows (std::terminate: the finding) unless known findings are skipped.
inline void json_number_overflow(const nlohmann::json::out_of_range&) {
  if (!skip_known()) throw;
}

}  // namespace nexcage_fuzz
