#include "nexcage/metrics/exposition.hpp"

#include <cmath>

#include <fmt/format.h>

namespace nexcage::metrics {

namespace {

std::string escape(const std::string& text, bool quotes) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else if (quotes && c == '"')
      out += "\\\"";
    else
      out += c;
  }
  return out;
}

std::string series(const std::string& name, const Labels& labels) {
  if (labels.empty()) return name;
  std::string text = name + "{";
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (i != 0) text += ",";
    text += labels[i].first + "=\"" + escape_label_value(labels[i].second) + "\"";
  }
  return text + "}";
}

}  // namespace

std::string escape_label_value(const std::string& value) {
  return escape(value, true);
}

std::string format_value(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (value == std::floor(value) && std::fabs(value) < 1e15)
    return fmt::format("{}", static_cast<long long>(value));
  return fmt::format("{}", value);
}

void Exposition::family(const std::string& name, const char* type, const std::string& help) {
  text_ += "# HELP " + name + " " + escape(help, false) + "\n";
  text_ += "# TYPE " + name + " " + type + "\n";
}

void Exposition::sample(const std::string& name, const Labels& labels, double value) {
  text_ += series(name, labels) + " " + format_value(value) + "\n";
}

void Exposition::histogram(const std::string& name, const Labels& labels,
                           const Histogram& histogram) {
  uint64_t cumulative = 0;
  Labels with_le = labels;
  with_le.emplace_back("le", "");
  for (std::size_t i = 0; i < duration_bounds.size(); ++i) {
    cumulative += histogram.buckets[i];
    with_le.back().second = format_value(duration_bounds[i]);
    sample(name + "_bucket", with_le, static_cast<double>(cumulative));
  }
  with_le.back().second = "+Inf";
  sample(name + "_bucket", with_le, static_cast<double>(histogram.count));
  sample(name + "_sum", labels, histogram.sum);
  sample(name + "_count", labels, static_cast<double>(histogram.count));
}

}  // namespace nexcage::metrics
