#pragma once
// Every process nexcage starts goes through a ProcessRunner: an absolute path, an argv array and an
// explicit environment. No shell, no PATH lookup; every fd except 0-2 and the preserved ones is
// closed in the child. Tests substitute a recording fake.
#include <optional>
#include <string>
#include <vector>

namespace nexcage::process {

struct Command {
  std::string path;               // absolute path of the binary
  std::vector<std::string> argv;  // argv[0] included
  std::vector<std::string> env;   // complete environment, "KEY=VALUE"
  int preserve_fds = 0;           // fds 3 .. 3+preserve_fds-1 stay open in the child
  std::optional<std::string>
      stdin_data;   // capture(): written to the child's stdin (else /dev/null)
  std::string cwd;  // empty: inherit
  // A variable set to the child's own pid (LISTEN_PID: sd_listen_fds(3) hands sockets only to the
  // process it names). Not for capture().
  std::string pid_env;
  // capture(): the child's stdout goes to nexcage's stderr instead of being captured (a tool's
  // progress for the person at the terminal, never on nexcage's stdout); stderr is captured.
  bool stdout_on_stderr = false;
  // spawn() and inherit(): stdin from /dev/null and stdout and stderr appended to this file
  // (created 0600) instead of nexcage's own.
  std::string output_file;
};

struct Exit {
  int status = 0;  // raw wait status
  bool exited() const;
  bool signaled() const;
  int code() const;    // exit code, or 128+signal when killed by a signal (runc's convention)
  int signal() const;  // terminating signal, 0 when it exited
};

struct Captured {
  Exit exit;
  std::string out;
  std::string err;
};

class Runner {
 public:
  virtual ~Runner() = default;
  // Runs to completion with stdout and stderr captured (stdin from stdin_data or /dev/null).
  virtual Captured capture(const Command& cmd) = 0;
  // Runs to completion with stdin/stdout/stderr inherited untouched.
  virtual Exit inherit(const Command& cmd) = 0;
  // Starts with stdio inherited and returns the child's pid without waiting.
  virtual int spawn(const Command& cmd) = 0;
  // Replaces the current process (execve). Returns only by throwing. Not virtual: GCC does not
  // carry [[noreturn]] through a virtual call, and callers rely on it.
  [[noreturn]] void replace(const Command& cmd);

 private:
  // execve; returns only by throwing (or, in a test's fake, by returning, which replace() turns
  // into an error).
  virtual void exec_replacing(const Command& cmd) = 0;
};

// The real implementation: posix_spawn with closefrom, execve for replace().
Runner& system_runner();

// Waits for a child started with spawn(); retries on EINTR.
Exit wait_for(int pid);

// Text of argv for messages and logs: each word quoted when it holds spaces or quotes.
std::string describe(const std::vector<std::string>& argv);

}  // namespace nexcage::process
