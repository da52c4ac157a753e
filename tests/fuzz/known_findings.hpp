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

// crashes/config_file-regex-number-overflow: std::regex (libstdc++ 12, regex_compiler.tcc:589)
// overflows a long, which is UB, reading a back-reference or {n,m} count of 19 or more digits in a
// rules[].regex of the config file. UBSan aborts, so the skip has to happen before: inputs with
// such a run of digits are passed over.
inline bool regex_number_overflow(std::string_view text) {
  if (!skip_known()) return false;
  std::size_t run = 0;
  for (char c : text) {
    run = c >= '0' && c <= '9' ? run + 1 : 0;
    if (run >= 19) return true;
  }
  return false;
}

}  // namespace nexcage_fuzz
