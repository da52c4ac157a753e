#include <unistd.h>

#include <iostream>
#include <iterator>

#include "internal.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/fs/files.hpp"
#include "nexcage/fs/json_file.hpp"
#include "nexcage/oci/bundle.hpp"

namespace nexcage::lifecycle {

namespace {

constexpr std::size_t max_resources_bytes = 1024 * 1024;

std::string read_stdin_limited() {
  std::string text;
  bool fits = false;
  try {
    fits = fs::read_fd_bounded(0, 8192, max_resources_bytes, text);
  } catch (const Error& e) {
    throw Error(e.kind(), std::string("resources from stdin: ") + e.what());
  }
  if (!fits) throw Error(ErrorKind::invalid_input, "resources on stdin are larger than 1 MiB");
  return text;
}

nlohmann::json load_resources(const UpdateRequest& request) {
  nlohmann::json doc;
  if (request.resources.empty()) {
    if (request.flag_resources.empty())
      throw Error(ErrorKind::usage,
                  "update needs --resources FILE|- or at least one resource flag");
    doc = request.flag_resources;
  } else {
    doc = request.resources == "-"
              ? fs::parse_json_document(read_stdin_limited(), "resources on stdin")
              : fs::read_json_file(fs::absolute_path(request.resources), request.resources);
  }
  if (!doc.is_object())
    throw Error(ErrorKind::invalid_input,
                "resources: must be a JSON object (specs.LinuxResources)");
  // Validate the fields nexcage understands through the same checks as linux.resources.
  nlohmann::json wrapper{{"ociVersion", "1.0.0"}, {"linux", {{"resources", doc}}}};
  std::vector<oci::Problem> problems;
  auto spec = oci::spec_from_json(wrapper, problems);
  if (spec.linux && spec.linux->resources)
    oci::validate_resources(*spec.linux->resources, problems);
  for (auto& p : problems) {
    if (p.path.rfind("linux.resources", 0) == 0) p.path = "resources" + p.path.substr(15);
  }
  std::erase_if(problems, [](const oci::Problem& p) { return p.path.rfind("resources", 0) != 0; });
  if (!problems.empty())
    throw Error(ErrorKind::invalid_input, oci::describe_problems("resources", problems));
  return doc;
}

}  // namespace

void update(Context& ctx, const UpdateRequest& request) {
  auto resources = load_resources(request);
  auto container = detail::open_or_adopt(ctx, request.id, fs::FileLock::Mode::exclusive);
  auto driver = ctx.backend_of(container.record());
  auto view = observe(ctx, container.record(), *driver);
  if (view.status == state::Status::stopped || view.status == state::Status::creating)
    throw Error(ErrorKind::wrong_state, msg::not_running);
  detail::ScratchFile file(container.dir(), ".resources-", resources.dump());
  driver->update(container.record(), file.path());
}

}  // namespace nexcage::lifecycle
