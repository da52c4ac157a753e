#include "nexcage/process/foreground.hpp"

#include <fcntl.h>
#include <pty.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>

#include <gtest/gtest.h>

using namespace nexcage::process;

namespace {

struct Pipe {
  int r = -1, w = -1;
  Pipe() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) == 0) r = fds[0], w = fds[1];
  }
  ~Pipe() {
    close_read();
    close_write();
  }
  void close_read() {
    if (r >= 0) ::close(r);
    r = -1;
  }
  void close_write() {
    if (w >= 0) ::close(w);
    w = -1;
  }
};

// A child that runs `body` with every signal unblocked and exits with what it returns.
template <typename F>
pid_t child(F body) {
  pid_t pid = ::fork();
  if (pid == 0) {
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    ::_exit(body());
  }
  return pid;
}

sigset_t current_mask() {
  sigset_t mask;
  pthread_sigmask(SIG_SETMASK, nullptr, &mask);
  return mask;
}

bool same_mask(const sigset_t& a, const sigset_t& b) {
  for (int sig = 1; sig < NSIG; ++sig)
    if (sigismember(&a, sig) != sigismember(&b, sig)) return false;
  return true;
}

}  // namespace

TEST(Foreground, ReturnsTheWaitStatusOfTheProcess) {
  pid_t pid = child([] { return 7; });
  ASSERT_GT(pid, 0);
  BlockedSignals signals(forwarded_signals());
  int status = wait_in_foreground(pid, signals, {});
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 7);
}

TEST(Foreground, ForwardsTheCallersSignalsToTheProcess) {
  Pipe ready;
  static volatile sig_atomic_t got = 0;
  pid_t pid = child([&] {
    // Blocked until sigsuspend: a signal between the test of `got` and pause() would be lost.
    sigset_t usr1, waiting;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigprocmask(SIG_BLOCK, &usr1, &waiting);
    sigdelset(&waiting, SIGUSR1);
    struct sigaction sa {};
    sa.sa_handler = [](int) { got = 1; };
    sigaction(SIGUSR1, &sa, nullptr);
    if (::write(ready.w, "x", 1) != 1) return 1;
    while (!got) ::sigsuspend(&waiting);
    return 40;
  });
  ASSERT_GT(pid, 0);
  char c;
  ASSERT_EQ(::read(ready.r, &c, 1), 1);
  BlockedSignals signals(forwarded_signals());
  ::raise(SIGUSR1);  // held for the signalfd, as a signal from the caller would be
  int status = wait_in_foreground(pid, signals, {});
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 40) << "SIGUSR1 reached the process";
}

TEST(Foreground, TheSignalMaskComesBackAlsoAfterAnException) {
  auto before = current_mask();
  try {
    BlockedSignals signals(forwarded_signals());
    auto during = current_mask();
    EXPECT_TRUE(sigismember(&during, SIGTERM));
    throw std::runtime_error("create failed");
  } catch (const std::runtime_error&) {
  }
  EXPECT_TRUE(same_mask(before, current_mask()));
}

TEST(Foreground, BetweenRunsBeforeEveryWaitWithItsTimeout) {
  pid_t pid = child([] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    return 0;
  });
  ASSERT_GT(pid, 0);
  BlockedSignals signals(forwarded_signals());
  int calls = 0;
  int status = wait_in_foreground(pid, signals, {}, [&] {
    ++calls;
    return 10;
  });
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_GE(calls, 5) << "a 10 ms timeout over a 200 ms wait";
}

// As `run` waits for an init the backend started and left: a subreaper inherits it. Run in a
// child so that this test process does not become a subreaper itself.
TEST(Foreground, ASubreaperWaitsForTheInheritedInitAndReapsTheRest) {
  pid_t sub = ::fork();
  ASSERT_GE(sub, 0);
  if (sub == 0) {
    if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0) ::_exit(10);
    Pipe init_pid;
    BlockedSignals signals(forwarded_signals());
    pid_t runtime = ::fork();  // the backend: starts the init and exits
    if (runtime == 0) {
      pid_t init = ::fork();
      if (init == 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        ::_exit(3);
      }
      if (::write(init_pid.w, &init, sizeof init) != sizeof init) ::_exit(1);
      ::_exit(0);
    }
    pid_t init = 0;
    if (::read(init_pid.r, &init, sizeof init) != sizeof init) ::_exit(11);
    ForegroundOptions options;
    options.reaping = Reaping::all_children;
    int status = wait_in_foreground(init, signals, std::move(options));
    bool runtime_reaped = ::waitpid(runtime, nullptr, WNOHANG) < 0 && errno == ECHILD;
    ::_exit(WIFEXITED(status) && WEXITSTATUS(status) == 3 ? (runtime_reaped ? 0 : 12) : 13);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(sub, &status, 0), sub);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "10: no subreaper, 11: no init pid, 12: the runtime left "
                                       "unreaped, 13: the init's status was lost";
}

TEST(Foreground, TheTerminalIsCopiedOutToTheLastByte) {
  int master = -1, slave = -1;
  ASSERT_EQ(::openpty(&master, &slave, nullptr, nullptr, nullptr), 0);
  pid_t pid = child([&] {
    ::close(master);
    ::setsid();
    ::dup2(slave, 1);
    std::string text = "hello from the container\n";
    if (::write(1, text.data(), text.size()) != static_cast<ssize_t>(text.size())) return 1;
    return 0;
  });
  ASSERT_GT(pid, 0);
  ::close(slave);
  Pipe out, in;
  in.close_write();  // the caller's stdin at its end
  BlockedSignals signals(forwarded_signals());
  ForegroundOptions options;
  options.pty_master = nexcage::UniqueFd(master);
  options.in_fd = in.r;
  options.out_fd = out.w;
  int status = wait_in_foreground(pid, signals, std::move(options));
  EXPECT_TRUE(WIFEXITED(status));
  out.close_write();
  std::string got;
  std::array<char, 256> buf{};
  for (ssize_t n; (n = ::read(out.r, buf.data(), buf.size())) > 0;)
    got.append(buf.data(), static_cast<std::size_t>(n));
  EXPECT_EQ(got, "hello from the container\r\n");
}
