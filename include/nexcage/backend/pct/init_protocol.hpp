#pragma once
// The contract between the pct driver and nexcage-init (src/pct_init/), the program that is the
// first process of every container nexcage creates through pct. pct has no "created" state: a
// Proxmox container is either stopped or running. nexcage-init gives it one. It starts as the
// container's init, blocks until the host sends it the start signal, then execs the OCI process.
// Between the two, the container has a live init with a host pid, as `runc create` promises.
#include <sys/types.h>

#include <csignal>
#include <cstdlib>

namespace nexcage::backend::pct {

// A realtime signal: nothing else sends it, and a blocked one stays queued rather than merged or
// dropped. `nexcage start` sends it with kill(2); see is_host_start_signal for what is accepted.
inline int start_signal() {
  return SIGRTMIN + 16;
}

// The start signal as only the host can send it:
// - si_code SI_USER: kill(2). Not SI_QUEUE: rt_sigqueueinfo(2) and pidfd_send_signal(2) let the
//   sender write si_pid and si_uid itself, so a process exec'd into the container could forge
//   them. The kernel refuses an SI_USER siginfo from userspace for another process.
// - si_pid 0: the kernel writes 0 for a sender outside the receiver's pid namespace; a sender
//   inside sees its own pid there.
// - si_uid `host_root_uid`: host root as the init's user namespace sees it (host_root_uid()), so
//   a host user who owns the container's mapped uids cannot start it either.
inline bool is_host_start_signal(const siginfo_t& info, uid_t host_root_uid) {
  return info.si_code == SI_USER && info.si_pid == 0 && info.si_uid == host_root_uid;
}

// The uid under which the init's user namespace sees host root, from /proc/self/uid_map text
// ("INSIDE OUTSIDE COUNT" lines; OUTSIDE is in the parent namespace, where nexcage runs): the
// INSIDE id whose range covers outside uid 0, or `overflow_uid` (/proc/sys/kernel/overflowuid)
// when host root is not mapped, as in an unprivileged container. No allocation: nexcage-init
// calls it as pid 1 of a rootfs that may have no C library.
inline uid_t host_root_uid(const char* uid_map, uid_t overflow_uid) {
  const char* p = uid_map;
  while (p != nullptr && *p != '\0') {
    char* end = nullptr;
    unsigned long inside = std::strtoul(p, &end, 10);
    if (end == p) break;
    p = end;
    unsigned long outside = std::strtoul(p, &end, 10);
    if (end == p) break;
    p = end;
    unsigned long count = std::strtoul(p, &end, 10);
    if (end == p) break;
    p = end;
    if (outside == 0 && count > 0) return static_cast<uid_t>(inside);
    while (*p == ' ' || *p == '\t' || *p == '\n') ++p;
  }
  return overflow_uid;
}

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
