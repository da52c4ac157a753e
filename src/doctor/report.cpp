#include <algorithm>

#include <nlohmann/json.hpp>

#include "nexcage/doctor/doctor.hpp"

namespace nexcage::doctor {

const char* to_string(Severity severity) {
  switch (severity) {
    case Severity::ok:
      return "ok";
    case Severity::info:
      return "info";
    case Severity::warning:
      return "warning";
    case Severity::problem:
      return "problem";
  }
  return "problem";
}

void Report::add(std::string check, Severity severity, std::string message, std::string fix) {
  findings.push_back(Finding{std::move(check), severity, std::move(message), std::move(fix)});
}

bool Report::healthy() const {
  return std::none_of(findings.begin(), findings.end(),
                      [](const Finding& f) { return f.severity == Severity::problem; });
}

namespace {

const char* colour_of(Severity severity) {
  switch (severity) {
    case Severity::ok:
      return "\033[32m";
    case Severity::info:
      return "\033[36m";
    case Severity::warning:
      return "\033[33m";
    case Severity::problem:
      return "\033[31;1m";
  }
  return "";
}

std::string pad(std::string text, std::size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text;
}

}  // namespace

std::string render_text(const Report& report, bool colour) {
  std::size_t check_width = 0;
  for (const auto& f : report.findings) check_width = std::max(check_width, f.check.size());
  std::string out;
  int problems = 0, warnings = 0;
  for (const auto& f : report.findings) {
    if (f.severity == Severity::problem) ++problems;
    if (f.severity == Severity::warning) ++warnings;
    std::string word = pad(to_string(f.severity), 8);
    if (colour) word = colour_of(f.severity) + word + "\033[0m";
    out += word + pad(f.check, check_width + 2) + f.message + "\n";
    if (!f.fix.empty()) out += std::string(8 + check_width + 2, ' ') + "fix: " + f.fix + "\n";
  }
  out += report.healthy() ? "healthy" : "problems found";
  out += ": " + std::to_string(problems) + (problems == 1 ? " problem, " : " problems, ") +
         std::to_string(warnings) + (warnings == 1 ? " warning\n" : " warnings\n");
  return out;
}

std::string render_json(const Report& report) {
  nlohmann::ordered_json doc;
  doc["healthy"] = report.healthy();
  doc["findings"] = nlohmann::ordered_json::array();
  for (const auto& f : report.findings)
    doc["findings"].push_back({{"check", f.check},
                               {"severity", to_string(f.severity)},
                               {"message", f.message},
                               {"fix", f.fix}});
  return doc.dump(2) + "\n";
}

}  // namespace nexcage::doctor
