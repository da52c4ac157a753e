#pragma once
// Pure argv builders for runc-compatible CLIs, tested to the exact vector.
#include <string>
#include <vector>

#include "nexcage/backend/backend.hpp"

namespace nexcage::backend::oci_cli {

// Differences between runc and crun that the driver must know about.
struct Quirks {
  bool has_events = true;                  // crun has no `events`
  bool exec_additional_gids = true;        // crun lacks exec -g
  bool exec_ignore_paused = true;          // crun lacks exec --ignore-paused
  bool exec_cgroup_per_controller = true;  // crun's exec takes one --cgroup PATH, no controller:
  bool features_may_be_missing = false;    // crun < 1.8.6 answers "unknown command features"
  bool run_keep = true;                    // crun's run has no --keep
  bool restore_no_subreaper = true;        // crun's restore has no --no-subreaper (and needs none)
  bool global_criu = true;                 // crun links libcriu: no --criu PATH
};

Quirks quirks_for(const std::string& backend_name);

// The global part every call starts with.
struct Invocation {
  std::string binary;
  std::string root;      // the backend's own --root
  std::string log_file;  // where the backend writes its log lines
  bool log_json = true;
  bool debug = false;
  bool systemd_cgroup = false;
  std::string criu;  // runc's global --criu PATH, for checkpoint and restore
};

using Argv = std::vector<std::string>;

Argv create_argv(const Invocation& inv, const std::string& id, const CreateCall& call);
Argv run_argv(const Invocation& inv, const std::string& id, const RunCall& call);
// call.restore must be set. Every CRIU option is passed as runc spells it; the backend refuses
// what it does not have (crun's Debian build has no checkpoint at all).
Argv restore_argv(const Invocation& inv, const Quirks& quirks, const std::string& id,
                  const RunCall& call);
Argv checkpoint_argv(const Invocation& inv, const Quirks& quirks, const std::string& id,
                     const CheckpointCall& call);
Argv start_argv(const Invocation& inv, const std::string& id);
Argv kill_argv(const Invocation& inv, const std::string& id, int signal, bool all);
Argv delete_argv(const Invocation& inv, const std::string& id, bool force);
// Throws Error(usage) for a flag the backend does not have.
Argv exec_argv(const Invocation& inv, const Quirks& quirks, const std::string& id,
               const ExecCall& call);
Argv pause_argv(const Invocation& inv, const std::string& id);
Argv resume_argv(const Invocation& inv, const std::string& id);
Argv ps_argv(const Invocation& inv, const std::string& id);
Argv update_argv(const Invocation& inv, const std::string& id, const std::string& resources);
Argv events_argv(const Invocation& inv, const std::string& id, bool stats,
                 const std::string& interval);
Argv features_argv(const std::string& binary);
Argv version_argv(const std::string& binary);

}  // namespace nexcage::backend::oci_cli
