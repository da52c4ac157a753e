#include "internal.hpp"

namespace nexcage::lifecycle {

namespace {

struct Row {
  std::string name;
  nlohmann::json value;  // null: none
  std::string shown;     // the value in the table
  Source source;
  std::string origin;
};

template <class T>
Row row(const char* name, nlohmann::json value, std::string shown, const Setting<T>& setting) {
  return Row{name, std::move(value), std::move(shown), setting.source, setting.origin};
}

std::vector<Row> rows_of(const Context& ctx) {
  const auto& s = ctx.settings();
  std::string config = s.config.value;
  if (ctx.config().source != s.config.value) config += " (absent: built-in defaults)";
  const auto& backend = s.default_backend.value;
  const auto& log_file = s.log.file.value;
  std::string format = s.log.format.value == log::Format::json ? "json" : "text";
  std::string level = log::to_string(s.log.level.value);
  return {
      row("config", s.config.value, config, s.config),
      row("root", s.root.value, s.root.value, s.root),
      row("default_backend", backend ? nlohmann::json(*backend) : nlohmann::json(),
          backend ? *backend : "(the first of runc, crun found)", s.default_backend),
      row("log.file", log_file.empty() ? nlohmann::json() : nlohmann::json(log_file),
          log_file.empty() ? "(none: warnings on stderr)" : log_file, s.log.file),
      row("log.format", format, format, s.log.format),
      row("log.level", level, level, s.log.level),
      row("metrics.enabled", s.metrics.value, s.metrics.value ? "true" : "false", s.metrics),
  };
}

std::string shown_source(const Row& r) {
  if (r.source == Source::built_in) return "default";
  return r.origin + " (" + to_string(r.source) + ")";
}

}  // namespace

std::string config_view(const Context& ctx, const std::string& format) {
  detail::check_table_or_json(format);
  auto rows = rows_of(ctx);
  if (format == "json") {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& r : rows)
      out.push_back({{"setting", r.name},
                     {"value", r.value},
                     {"source", to_string(r.source)},
                     {"origin", r.origin}});
    return out.dump() + "\n";
  }
  std::vector<std::vector<std::string>> table{{"SETTING", "VALUE", "SOURCE"}};
  for (const auto& r : rows) table.push_back({r.name, r.shown, shown_source(r)});
  return detail::table(table);
}

}  // namespace nexcage::lifecycle
