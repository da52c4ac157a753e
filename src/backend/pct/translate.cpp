// Runs the mappers in the order their options appear on the pct command line and collects every
// refusal, so one run tells the user everything that must change.
#include "nexcage/backend/pct/translate.hpp"

#include "mapping.hpp"
#include "nexcage/backend/pct/pve_version.hpp"
#include "nexcage/core/error.hpp"

namespace nexcage::backend::pct {

void detail::Builder::need_pve_container(const std::string& version, std::string what) {
  auto& need = out.translation.needs;
  auto order = compare_versions(version, need.version.empty() ? "0" : need.version);
  if (order && *order > 0) need = {version, std::move(what)};
}

std::vector<std::string> Translation::argv() const {
  std::vector<std::string> out;
  out.reserve(options.size() * 2);
  for (const auto& o : options) {
    out.push_back("--" + o.key);
    out.push_back(o.value);
  }
  return out;
}

Outcome examine(const oci::Spec& spec, const PctSettings& settings, const HostFacts& facts) {
  detail::Builder b{spec, settings, facts, {}};
  detail::map_settings(b);
  detail::map_identity(b);
  detail::map_resources(b);
  detail::map_network(b);
  detail::map_mounts(b);
  detail::map_devices(b);
  detail::map_process(b);
  detail::map_stop_signal(b);
  detail::map_security(b);
  detail::map_annotations(b);
  detail::map_leftovers(b);
  return std::move(b.out);
}

Translation translate(const oci::Spec& spec, const PctSettings& settings, const HostFacts& facts) {
  auto outcome = examine(spec, settings, facts);
  if (!outcome.refused.empty()) {
    const auto& r = outcome.refused;
    std::string text = "config.json cannot be run by the pct backend: " + std::to_string(r.size()) +
                       (r.size() == 1 ? " problem" : " problems");
    for (const auto& p : r) text += "\n  " + p.path + ": " + p.message;
    throw Error(ErrorKind::invalid_input, text,
                "fix the fields named above, or run this container with the runc or crun backend");
  }
  return std::move(outcome.translation);
}

std::vector<std::string> update_options(const nlohmann::json& resources) {
  // The resources document is what config.json holds at linux.resources, so it is read by the
  // same parser, inside a minimal config.json.
  nlohmann::json doc = {{"ociVersion", "1.0.2"},
                        {"root", {{"path", "rootfs"}}},
                        {"linux", {{"resources", resources}}}};
  std::vector<oci::Problem> problems;
  auto spec = oci::spec_from_json(doc, problems);
  if (problems.empty() && (!spec.linux || !spec.linux->resources))
    problems.push_back({"linux.resources", "must be an object"});
  PctSettings settings;
  HostFacts facts;
  detail::Builder b{spec, settings, facts, {}};
  if (problems.empty()) detail::map_resources_update(b, *spec.linux->resources);
  for (const auto& r : b.out.refused) problems.push_back(r);
  // An update must do exactly what it asks; whatever the translation would only warn about is
  // refused here.
  for (const auto& w : b.out.translation.warnings) problems.push_back(w);
  for (const auto& raw : b.out.translation.raw)
    problems.push_back(
        {"linux.resources", raw.key + " cannot be changed on a running pct container"});
  if (!problems.empty())
    throw Error(ErrorKind::invalid_input, oci::describe_problems("resources", problems));
  if (b.out.translation.options.empty())
    throw Error(ErrorKind::usage,
                "nothing to update: the pct backend can change memory.limit, "
                "memory.swap, cpu.quota, cpu.period and cpu.shares");
  return b.out.translation.argv();
}

}  // namespace nexcage::backend::pct
