#pragma once
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "nexcage/core/json_reader.hpp"
#include "nexcage/oci/spec.hpp"

namespace nexcage::oci {

// A problem found in a document, with the JSON path of the field, e.g.
// {"process.capabilities.bounding[3]", "unknown capability \"CAP_FOO\""} (core/json_reader.hpp).
using nexcage::Problem;

// Converts a parsed config.json into the typed Spec. Type errors (a string where a number belongs,
// a negative uid, ...) are collected into `problems` with their JSON path instead of thrown.
Spec spec_from_json(const nlohmann::json& doc, std::vector<Problem>& problems);

// Semantic validation of a Spec: every problem with its JSON path. The checks (validate_spec.cpp,
// validate_process.cpp, validate_seccomp.cpp) follow the OCI runtime spec's config.md and what
// runc refuses before it starts anything.
// `bundle` resolves a relative root.path.
std::vector<Problem> validate_spec(const Spec& spec, const std::filesystem::path& bundle);

// The part of it for linux.resources, which `update` also applies to what it is given.
void validate_resources(const Resources& resources, std::vector<Problem>& problems);

// Syscall names in the seccomp profile that are well-formed but unknown to this libseccomp.
// Not problems: runc and crun skip them (profiles list syscalls of newer kernels); callers log
// them.
std::vector<std::string> unknown_syscalls(const Spec& spec);

// Validates a process.json given to `exec --process` (args non-empty, cwd absolute, env K=V,
// capabilities, rlimits). Paths in problems are relative to the process object ("args", "cwd").
std::vector<Problem> validate_process(const Process& process, const std::string& path_prefix);
Process process_from_json(const nlohmann::json& doc, const std::string& path_prefix,
                          std::vector<Problem>& problems);

// A loaded and validated bundle.
struct Bundle {
  std::filesystem::path dir;     // absolute, as given (not symlink-resolved, like runc)
  std::filesystem::path rootfs;  // absolute root.path
  Spec spec;
};

// Loads <dir>/config.json, converts and validates it. On any problem throws
// nexcage::Error(invalid_input) whose message lists every problem, one "path: message" per line,
// after a first line "invalid <dir>/config.json: N problem(s)".
Bundle load_bundle(const std::filesystem::path& dir);

// Builds the message used by load_bundle from a list of problems.
using nexcage::describe_problems;

}  // namespace nexcage::oci
