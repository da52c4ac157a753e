#pragma once
// The contract between the pct driver and nexcage-init (src/pct_init/), the program that is the
// first process of every container nexcage creates through pct. pct has no "created" state: a
// Proxmox container is either stopped or running. nexcage-init gives it one. It starts as the
// container's init, blocks until the host sends it the start signal, then execs the OCI process.
// Between the two, the container has a live init with a host pid, as `runc create` promises.
#include <csignal>

namespace nexcage::backend::pct {

// A realtime signal: nothing else sends it, and a blocked one stays queued rather than merged or
// dropped. nexcage-init accepts it only from outside the container's pid namespace (si_pid 0),
// so a process exec'd into a created container cannot start it.
inline int start_signal() { return SIGRTMIN + 16; }

// nexcage-init's process name (/proc/<pid>/comm) once the start signal is blocked: from then on
// a start signal cannot be lost. The host cannot see this from the signal masks, because
// sigwaitinfo() unblocks the awaited signal while it sleeps.
inline constexpr const char* init_waiting_comm = "nexcage-waiting";

// Where the host's nexcage-init binary is bind-mounted, relative to the container's rootfs. /dev
// is LXC's autodev tmpfs, mounted before mount entries, so nothing is left in the rootfs itself.
inline constexpr const char* init_mount_target = "dev/.nexcage-init";
inline constexpr const char* init_in_container = "/dev/.nexcage-init";

// nexcage-init's verbs: `wait -- ARGS...` as the init, `exec [--cwd DIR] -- ARGS...` for exec.
inline constexpr const char* init_verb_wait = "wait";
inline constexpr const char* init_verb_exec = "exec";

// Exit statuses of nexcage-init itself, as a shell reports them.
inline constexpr int init_exit_not_found = 127;
inline constexpr int init_exit_cannot_run = 126;

}  // namespace nexcage::backend::pct
