#include "nexcage/oci/kernel_names.hpp"

#include <seccomp.h>
#include <sys/capability.h>

#include <algorithm>
#include <cctype>

#include "nexcage/core/text.hpp"

namespace nexcage::oci {

namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

}  // namespace

const std::vector<SeccompAction>& seccomp_actions() {
  static const std::vector<SeccompAction> actions{
      {"SCMP_ACT_ALLOW", 1},        {"SCMP_ACT_ERRNO", 1}, {"SCMP_ACT_KILL", 1},
      {"SCMP_ACT_KILL_THREAD", 1},  {"SCMP_ACT_TRACE", 1}, {"SCMP_ACT_TRAP", 1},
      {"SCMP_ACT_KILL_PROCESS", 3}, {"SCMP_ACT_LOG", 3},   {"SCMP_ACT_NOTIFY", 5}};
  return actions;
}

unsigned int seccomp_action_level(const std::string& action) {
  for (const auto& a : seccomp_actions())
    if (action == a.name) return a.api_level;
  return 0;
}

std::vector<std::string> supported_seccomp_actions() {
  const unsigned int level = seccomp_api_get();
  std::vector<std::string> out;
  for (const auto& a : seccomp_actions())
    if (a.api_level <= level) out.emplace_back(a.name);
  return out;
}

const std::set<std::string>& seccomp_operators() {
  static const std::set<std::string> ops{"SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT",
                                         "SCMP_CMP_LE", "SCMP_CMP_LT", "SCMP_CMP_MASKED_EQ",
                                         "SCMP_CMP_NE"};
  return ops;
}

bool is_known_seccomp_arch(const std::string& oci_name) {
  constexpr std::string_view prefix = "SCMP_ARCH_";
  if (oci_name.rfind(prefix, 0) != 0) return false;
  return seccomp_arch_resolve_name(lower(oci_name.substr(prefix.size())).c_str()) != 0;
}

std::vector<std::string> known_seccomp_archs() {
  std::vector<std::string> out;
  for (const char* arch : {"x86", "x86_64", "x32", "arm", "aarch64", "mips", "mips64", "mips64n32",
                           "mipsel", "mipsel64", "mipsel64n32", "ppc", "ppc64", "ppc64le", "s390",
                           "s390x", "parisc", "parisc64", "riscv64"}) {
    auto name = "SCMP_ARCH_" + upper_ascii(arch);
    if (is_known_seccomp_arch(name)) out.push_back(name);
  }
  return out;
}

std::vector<std::string> capability_names() {
  std::vector<std::string> out;
  for (int cap = 0; cap < cap_max_bits(); ++cap) {
    char* name = cap_to_name(static_cast<cap_value_t>(cap));
    if (name == nullptr) continue;
    std::string text(name);
    cap_free(name);
    if (text.rfind("cap_", 0) != 0) continue;  // libcap prints bits it cannot name as numbers
    out.push_back(upper_ascii(text));
  }
  return out;
}

}  // namespace nexcage::oci
