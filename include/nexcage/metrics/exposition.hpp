#pragma once
// The Prometheus text exposition format (version 0.0.4), as node_exporter's textfile collector and
// promtool read it: each family's HELP and TYPE once, then its samples, label values escaped.
// Hand-written: Debian 12's prometheus-cpp ships only shared libraries and pulls in civetweb and
// curl for its server, none of which a program that prints a page once needs.
#include <string>
#include <utility>
#include <vector>

#include "nexcage/metrics/totals.hpp"

namespace nexcage::metrics {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Exposition {
 public:
  // Starts a family; a family's samples follow its header.
  void family(const std::string& name, const char* type, const std::string& help);
  void sample(const std::string& name, const Labels& labels, double value);
  // A histogram's _bucket (cumulative, "le", +Inf last), _sum and _count series.
  void histogram(const std::string& name, const Labels& labels, const Histogram& histogram);

  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

// A label value or HELP text escaped as the format says.
std::string escape_label_value(const std::string& value);
// A sample value: integers without a fraction, others shortest round-trip, +Inf/-Inf/NaN.
std::string format_value(double value);

}  // namespace nexcage::metrics
