#pragma once
// How a pct container's process gets the stdio of the caller of `nexcage create` (containerd's
// FIFOs, conmon's pipes), and how that caller learns when it ends. Proxmox's supervisor starts
// the container, so its init is never the caller's child; see docs/backends/pct.md, "Callers
// that wait for a pid".
//
// 1. stdio: `create` listens on a unix socket that is bind-mounted into the container for this
//    start only (a gate line of the config, removed once create is done). nexcage-init, started
//    with `--stdio <path>`, connects and receives the caller's fds 0, 1 and 2 (SCM_RIGHTS), then
//    puts them in place of LXC's console before it waits for the start signal. The process
//    writes to the caller's own files: nothing is copied, so nothing is lost at exit.
// 2. the pid: `create` then starts nexcage-monitor, a small host process in the caller's tree
//    (it is create's child; the caller, a subreaper, inherits it). It traces the container's init
//    (PTRACE_SEIZE, with PTRACE_O_EXITKILL) and exits with the init's status (128+N when a signal
//    N ended it); signals sent to it are passed on to the init. Tracing is what lets a process
//    that is not the init's parent learn its exit status; EXITKILL makes the pair live and die
//    together, as runc's reported pid is the init itself.
#include <cstddef>

namespace nexcage::backend::pct {

// Where the socket appears inside the container (LXC's /dev tmpfs: nothing touches the rootfs).
inline constexpr const char* stdio_mount_target = "dev/.nexcage-stdio";
inline constexpr const char* stdio_in_container = "/dev/.nexcage-stdio";
// nexcage-init's option naming the socket: `wait --stdio PATH -- ARGS...`.
inline constexpr const char* init_option_stdio = "--stdio";
// The caller's stdin, stdout and stderr, in this order, in one message with one data byte.
inline constexpr std::size_t stdio_fd_count = 3;
inline constexpr char stdio_message_byte = 'S';

// nexcage-monitor's command line: `nexcage-monitor <container id> <init pid> <init start time>`,
// fd 3 a pipe on which it writes monitor_ready once the init is traced, or one line saying why
// it could not trace it, and then closes.
inline constexpr int monitor_ready_fd = 3;
inline constexpr const char* monitor_ready = "ready\n";

}  // namespace nexcage::backend::pct
