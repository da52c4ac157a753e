// Which start signals nexcage-init accepts (init_protocol.hpp): only what kill(2) by host root
// from outside the container's pid namespace produces.
#include <gtest/gtest.h>

#include "nexcage/backend/pct/init_protocol.hpp"

using namespace nexcage::backend::pct;

namespace {

siginfo_t info(int code, pid_t pid, uid_t uid) {
  siginfo_t i{};
  i.si_signo = start_signal();
  i.si_code = code;
  i.si_pid = pid;
  i.si_uid = uid;
  return i;
}

}  // namespace

TEST(PctInitProtocol, AcceptsKillFromTheHostOnly) {
  EXPECT_TRUE(is_host_start_signal(info(SI_USER, 0, 65534), 65534));
  // rt_sigqueueinfo from inside the container, with si_pid and si_uid forged to the host's.
  EXPECT_FALSE(is_host_start_signal(info(SI_QUEUE, 0, 65534), 65534));
  // kill(2) from inside: the kernel writes the sender's pid in this namespace.
  EXPECT_FALSE(is_host_start_signal(info(SI_USER, 7, 65534), 65534));
  // kill(2) from the host by a user other than root (e.g. the owner of the mapped uids).
  EXPECT_FALSE(is_host_start_signal(info(SI_USER, 0, 0), 65534));
  EXPECT_FALSE(is_host_start_signal(info(SI_TKILL, 0, 65534), 65534));
  EXPECT_FALSE(is_host_start_signal(info(SI_KERNEL, 0, 65534), 65534));
}

TEST(PctInitProtocol, HostRootUidFromUidMap) {
  // A privileged container shares the host's user namespace.
  EXPECT_EQ(host_root_uid("         0          0 4294967295\n", 65534), 0u);
  // Proxmox's unprivileged map: host root is not mapped, so it shows as the overflow uid.
  EXPECT_EQ(host_root_uid("         0     100000      65536\n", 65534), 65534u);
  // Several lines; host root mapped to 5 inside.
  EXPECT_EQ(host_root_uid("0 100000 5\n5 0 1\n6 100006 65530\n", 65534), 5u);
  EXPECT_EQ(host_root_uid("", 65534), 65534u);
  EXPECT_EQ(host_root_uid("garbage", 123), 123u);
  EXPECT_EQ(host_root_uid("0 0", 123), 123u);  // cut short
}
