#include "nexcage/metrics/totals.hpp"

#include <charconv>
#include <cmath>
#include <vector>

#include <fmt/format.h>

#include "nexcage/core/error.hpp"

namespace nexcage::metrics {

namespace {

constexpr const char* header = "nexcage-metrics 1";
constexpr const char* no_backend = "-";

std::vector<std::string_view> split_spaces(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t pos = 0;
  while (pos < line.size()) {
    std::size_t end = line.find(' ', pos);
    if (end == std::string_view::npos) end = line.size();
    out.push_back(line.substr(pos, end - pos));
    pos = end + 1;
  }
  return out;
}

template <class T>
bool parse_number(std::string_view text, T& out) {
  if (text.empty()) return false;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

bool parse_seconds(std::string_view text, double& out) {
  return parse_number(text, out) && std::isfinite(out) && out >= 0;
}

std::string backend_token(const std::string& backend) {
  return backend.empty() ? no_backend : backend;
}

std::string backend_of(std::string_view token) {
  return token == no_backend ? std::string() : std::string(token);
}

[[noreturn]] void bad_line(std::size_t number, const std::string& why) {
  throw Error(ErrorKind::invalid_input, fmt::format("metrics totals line {}: {}", number, why),
              "remove the file: the counts start again from zero");
}

}  // namespace

bool is_token(std::string_view text) {
  if (text.empty() || text.size() > 64) return false;
  for (char c : text)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-'))
      return false;
  return true;
}

std::optional<std::string> sample_line(const Sample& sample) {
  if (!is_token(sample.operation) || !is_token(backend_token(sample.backend)) ||
      !is_token(sample.result) || !std::isfinite(sample.seconds) || sample.seconds < 0)
    return std::nullopt;
  return fmt::format("{} {} {} {}\n", sample.operation, backend_token(sample.backend),
                     sample.result, static_cast<uint64_t>(std::llround(sample.seconds * 1e9)));
}

std::optional<Sample> parse_sample_line(std::string_view line) {
  auto fields = split_spaces(line);
  if (fields.size() != 4) return std::nullopt;
  for (std::size_t i = 0; i < 3; ++i)
    if (!is_token(fields[i])) return std::nullopt;
  uint64_t ns = 0;
  if (!parse_number(fields[3], ns)) return std::nullopt;
  return Sample{std::string(fields[0]), backend_of(fields[1]), std::string(fields[2]),
                static_cast<double>(ns) / 1e9};
}

void Totals::add(const Sample& sample) {
  ++counts[{sample.operation, sample.backend, sample.result}];
  auto& h = durations[{sample.operation, sample.backend}];
  for (std::size_t i = 0; i < duration_bounds.size(); ++i) {
    if (sample.seconds <= duration_bounds[i]) {
      ++h.buckets[i];
      break;
    }
  }
  ++h.count;
  h.sum += sample.seconds;
}

std::size_t Totals::add_lines(std::string_view text) {
  std::size_t bad = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    // A line without its newline is a write that was cut short: not a sample.
    if (end == std::string_view::npos) {
      ++bad;
      break;
    }
    if (auto sample = parse_sample_line(text.substr(pos, end - pos)))
      add(*sample);
    else
      ++bad;
    pos = end + 1;
  }
  return bad;
}

std::string serialize(const Totals& totals) {
  std::string text = fmt::format("{} {}\n", header, totals.folded_through);
  for (const auto& [key, count] : totals.counts) {
    const auto& [operation, backend, result] = key;
    text += fmt::format("count {} {} {} {}\n", operation, backend_token(backend), result, count);
  }
  for (const auto& [key, h] : totals.durations) {
    text +=
        fmt::format("duration {} {} {} {}", key.first, backend_token(key.second), h.count, h.sum);
    for (auto n : h.buckets) text += fmt::format(" {}", n);
    text += "\n";
  }
  return text;
}

Totals parse_totals(std::string_view text) {
  Totals totals;
  std::size_t number = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) bad_line(number + 1, "has no newline");
    auto fields = split_spaces(text.substr(pos, end - pos));
    pos = end + 1;
    ++number;
    if (number == 1) {
      if (fields.size() != 3 || fields[0] != "nexcage-metrics" || fields[1] != "1" ||
          !parse_number(fields[2], totals.folded_through))
        bad_line(number, std::string("is not \"") + header + " SEQUENCE\"");
      continue;
    }
    if (fields.size() < 3 || !is_token(fields[1]) || !is_token(fields[2]))
      bad_line(number, "is not a count or a duration of an operation and backend");
    std::string operation(fields[1]);
    std::string backend = backend_of(fields[2]);
    if (fields[0] == "count") {
      uint64_t count = 0;
      if (fields.size() != 5 || !is_token(fields[3]) || !parse_number(fields[4], count))
        bad_line(number, "is not \"count OPERATION BACKEND RESULT N\"");
      totals.counts[{operation, backend, std::string(fields[3])}] = count;
    } else if (fields[0] == "duration") {
      Histogram h;
      bool ok = fields.size() == 5 + duration_bounds.size() && parse_number(fields[3], h.count) &&
                parse_seconds(fields[4], h.sum);
      uint64_t in_buckets = 0;
      for (std::size_t i = 0; ok && i < duration_bounds.size(); ++i) {
        ok = parse_number(fields[5 + i], h.buckets[i]);
        in_buckets += h.buckets[i];
      }
      if (!ok || in_buckets > h.count)
        bad_line(number, fmt::format("is not \"duration OPERATION BACKEND COUNT SUM\" and {} "
                                     "bucket counts summing to at most COUNT",
                                     duration_bounds.size()));
      totals.durations[{operation, backend}] = h;
    } else {
      bad_line(number, "starts with neither count nor duration");
    }
  }
  if (number == 0) bad_line(1, "is missing");
  return totals;
}

}  // namespace nexcage::metrics
