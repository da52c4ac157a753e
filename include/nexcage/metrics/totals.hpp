#pragma once
// Operation counts and durations: one sample per command, summed into totals by operation, backend
// and result (counts) and by operation and backend (a duration histogram). Both are kept as lines
// of space-separated tokens (journal.hpp); every token is checked when read back.
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>

namespace nexcage::metrics {

// The upper bounds (seconds) of the duration histogram's buckets, as Prometheus' "le" labels:
// from a `state` (a few ms) to a pct create that pulls and unpacks an image (minutes).
inline constexpr std::array<double, 15> duration_bounds{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
                                                        2.5,   5,    10,    30,   60,  120,  300};

struct Sample {
  std::string operation;  // create, state, ...
  std::string backend;    // empty when the command used none
  std::string result;     // ok, or the error's kind
  double seconds = 0;
};

// A token of a sample: 1 to 64 of [a-z0-9_.-]; the backend may be empty (written as "-").
bool is_token(std::string_view text);

// "create runc ok 12345678\n" (duration in nanoseconds); nullopt for a sample that is not made of
// tokens (never written).
std::optional<std::string> sample_line(const Sample& sample);
// nullopt for a line that is not one (a torn write, a foreign file).
std::optional<Sample> parse_sample_line(std::string_view line);

struct Histogram {
  std::array<uint64_t, duration_bounds.size()> buckets{};  // per bucket, not cumulative
  uint64_t count = 0;  // all samples, those above the last bound included
  double sum = 0;      // seconds
};

struct Totals {
  uint64_t folded_through = 0;  // the sequence number of the last journal folded in
  std::map<std::tuple<std::string, std::string, std::string>, uint64_t> counts;
  std::map<std::pair<std::string, std::string>, Histogram> durations;

  void add(const Sample& sample);
  // Every sample line of `text` (a journal); returns how many lines were not samples.
  std::size_t add_lines(std::string_view text);
};

std::string serialize(const Totals& totals);
// Throws Error(invalid_input) naming the line that is not as serialize() writes it.
Totals parse_totals(std::string_view text);

}  // namespace nexcage::metrics
