// The hand-written value checks (pct_values.cpp, volid.cpp) accept exactly what the regexes they
// replace accepted; each vector below was checked against the old pattern.
#include <gtest/gtest.h>

#include "backend/pct/mapping.hpp"
#include "nexcage/backend/pct/volid.hpp"

using namespace nexcage::backend::pct;
using namespace nexcage::backend::pct::detail;

namespace {

template <typename F>
void accepts(F check, std::initializer_list<const char*> values) {
  for (const char* v : values) EXPECT_TRUE(check(v)) << "should accept \"" << v << "\"";
}
template <typename F>
void rejects(F check, std::initializer_list<const char*> values) {
  for (const char* v : values) EXPECT_FALSE(check(v)) << "should reject \"" << v << "\"";
}

}  // namespace

TEST(PctValues, EnvName) {
  auto f = [](const char* s) { return is_env_name(s); };
  accepts(f, {"A", "PATH", "_", "a_1", "9"});
  rejects(f, {"", "A-B", "A.B", "A B", "\xc3\xa9", "A=B"});
}

TEST(PctValues, DnsName) {
  auto f = [](const char* s) { return is_dns_name(s); };
  // pct has no per-label limit; the kernel's HOST_NAME_MAX (64 bytes in all) is the one that holds.
  const std::string label64(64, 'a'), label65(65, 'a');
  const std::string dotted65 = std::string(32, 'a') + "." + std::string(32, 'a');
  accepts(f, {"a", "box", "a-b", "a.b.c", "A1", "1a", label64.c_str()});
  rejects(f, {"", "-a", "a-", "a..b", ".a", "a.", "a_b", "a b", label65.c_str(), dotted65.c_str()});
}

TEST(PctValues, StorageId) {
  auto f = [](const char* s) { return is_storage_id(s); };
  accepts(f, {"local", "local-lvm", "Data_1.x", "ab", "A9"});
  rejects(f, {"", "a", "1abc", "abc-", "ab.", "a b", "a:b", "-ab"});
}

TEST(PctValues, Ipv4AndCidr) {
  auto f = [](const char* s) { return is_ipv4(s); };
  accepts(f, {"0.0.0.0", "10.0.0.5", "255.255.255.255", "192.168.1.10"});
  rejects(f, {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.1.1.1", "1.1.1.", ".1.1.1", "1..1.1",
              "a.b.c.d", "1.2.3.4 "});
  auto c = [](const char* s) { return is_cidr4(s); };
  accepts(c, {"10.0.0.5/24", "10.0.0.5/8", "10.0.0.5/32", "10.0.0.5/024"});
  rejects(c, {"10.0.0.5", "10.0.0.5/7", "10.0.0.5/33", "10.0.0.5/", "10.0.0.5/1000", "10.0.0.5/a"});
  auto c6 = [](const char* s) { return is_cidr6(s); };
  accepts(c6, {"fd00::1/64", "::1/128"});
  rejects(c6, {"fd00::1/129", "fd00::1%eth0/64", "fd00::1"});
}

TEST(PctValues, NetName) {
  auto f = [](const char* s) { return is_net_name(s); };
  accepts(f, {"vmbr0", "br-lan", "a_b.c", "-", "."});
  rejects(f, {"", "a b", "a,b", "a=b", "a/b"});
}

TEST(PctValues, HugepageSize) {
  auto f = [](const char* s) { return is_hugepage_size(s); };
  accepts(f, {"2MB", "1GB", "64KB", "0MB"});
  rejects(f, {"", "MB", "2mb", "2TB", "2M", "2MBB", "x2MB", "2 MB"});
}

TEST(PctValues, CgroupFileName) {
  auto f = [](const char* s) { return is_cgroup_file_name(s); };
  accepts(f, {"memory.high", "io.max", "cpu.max", "a.b.c", "a_1.b_", "a..", "a.."});
  rejects(f, {"", "memory", ".high", "memory.", "Memory.high", "memory-x.high", "memory.hi gh",
              "a/b.c"});
}

TEST(PctValues, IpcSysctl) {
  auto f = [](const char* s) { return is_ipc_sysctl(s); };
  accepts(f, {"kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem", "kernel.shmall",
              "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced"});
  rejects(
      f, {"", "kernel.msgmax2", "kernel.semx", "net.ipv4.ip_forward", "kernel.shm", "xkernel.sem"});
}

TEST(PctValues, RlimitType) {
  auto f = [](const char* s) { return is_rlimit_type(s); };
  accepts(f, {"RLIMIT_NOFILE", "RLIMIT_AS", "RLIMIT_X"});
  rejects(f, {"", "RLIMIT_", "RLIMIT_nofile", "RLIMIT_NO_FILE", "rlimit_NOFILE", "RLIMIT_NOFILE1",
              "NOFILE"});
}

TEST(PctValues, DotSegments) {
  auto f = [](const char* s) { return has_dot_segments(s); };
  accepts(f, {"/a/./b", "/a/../b", "/a/.", "/a/..", "../a", "/./", "/.", "/.."});
  rejects(f, {"", "/a/b", "/a/.b", "/a/..b", "/a/.../b", "..", ".", "./a", "a/..b", "/a.", "/a.."});
}

TEST(PctValues, TemplateVolid) {
  auto f = [](const char* s) { return is_template_volid(s); };
  accepts(f, {"local:vztmpl/debian-12.tar.zst", "local:vztmpl/x.tar", "local:vztmpl/x.TAR.GZ",
              "nfs-1:vztmpl/a.b.tar.xz", "ab:VZTMPL/x.tar.bz2", "local:vztmpl/..tar",
              "local:vztmpl/a:b.tar", "local:vztmpl/a b.tar"});
  rejects(f, {"", "local:vztmpl/.tar", "local:vztmpl/x.tgz", "local:vztmpl/x.tar.lzo",
              "local:vztmpl/d/x.tar", "l:vztmpl/x.tar", "1local:vztmpl/x.tar",
              "local-:vztmpl/x.tar", "local:iso/x.tar", "local:vztmpl/", "local:vztmplx.tar",
              "--restore", "local:vztmpl/x.tar/"});
  EXPECT_FALSE(is_template_volid("local:vztmpl/" + std::string(200 * 1024, 'a') + ".tar"));
}
