#include "nexcage/backend/pct/pve_tools.hpp"

#include "nexcage/core/error.hpp"
#include "nexcage/core/log.hpp"
#include "nexcage/core/search_path.hpp"
#include "nexcage/core/text.hpp"

namespace nexcage::backend::pct {

namespace {

bool mentions(const std::string& text, const char* what) {
  return text.find(what) != std::string::npos;
}

}  // namespace

std::string pve_error_text(const std::string& stderr_text) {
  std::string out, line;
  std::size_t pos = 0;
  while (pos <= stderr_text.size()) {
    auto nl = stderr_text.find('\n', pos);
    line = trim(stderr_text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos));
    // The short usage that follows a parameter error ("pct create <vmid> ...", or a "USAGE:"
    // block after an unknown verb) repeats the syntax; it is noise in a one-line error.
    if (line.rfind("USAGE:", 0) == 0 || line.rfind("pct ", 0) == 0 || line.rfind("pvesh ", 0) == 0)
      break;
    if (!line.empty()) out += (out.empty() ? "" : "; ") + line;
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> parse_pct_config(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto nl = text.find('\n', pos);
    auto line = text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    pos = nl == std::string::npos ? text.size() : nl + 1;
    auto colon = line.find(':');
    if (line.empty() || colon == std::string::npos || colon == 0) continue;
    out.emplace_back(line.substr(0, colon), trim(line.substr(colon + 1)));
  }
  return out;
}

std::vector<std::string> PveTools::environment() {
  // pct decodes its argv with the locale's encoding (Encode::Locale): under LANG=C every
  // non-ASCII byte of an argument, env value, description or path is stored as U+FFFD.
  // C.UTF-8 is built into glibc (Debian, Proxmox), needs no locales package, and keeps the
  // untranslated messages this driver parses.
  return {tool_path_env, "LANG=C.UTF-8"};
}

process::Captured PveTools::run(const std::string& binary, std::vector<std::string> argv) {
  process::Command cmd;
  cmd.path = binary;
  cmd.argv = std::move(argv);
  cmd.env = environment();
  log::debug("running " + process::describe(cmd.argv));
  return runner_.capture(cmd);
}

void PveTools::fail(const std::string& what, const process::Captured& result) {
  auto text = pve_error_text(result.err);
  if (text.empty()) text = what + " failed with exit status " + std::to_string(result.exit.code());
  throw Error(ErrorKind::backend, text);
}

uint32_t PveTools::next_free_vmid() {
  auto r = run(paths_.pvesh, {"pvesh", "get", "/cluster/nextid"});
  if (r.exit.code() != 0) fail("pvesh get /cluster/nextid", r);
  auto out = trim(r.out);
  auto id = parse_u32(out);
  if (!id)
    throw Error(ErrorKind::backend,
                "pvesh get /cluster/nextid printed \"" + out + "\", not a VMID");
  return *id;
}

bool PveTools::vmid_is_free(uint32_t vmid) {
  auto r = run(paths_.pvesh, {"pvesh", "get", "/cluster/nextid", "--vmid", std::to_string(vmid)});
  if (r.exit.code() == 0) return true;
  if (mentions(r.err, "already exists")) return false;
  fail("pvesh get /cluster/nextid --vmid", r);
}

bool PveTools::create(uint32_t vmid, const std::string& template_volid,
                      const std::vector<std::string>& options) {
  std::vector<std::string> argv{"pct", "create", std::to_string(vmid), template_volid};
  argv.insert(argv.end(), options.begin(), options.end());
  auto r = run(paths_.pct, std::move(argv));
  if (r.exit.code() == 0) return true;
  // Another tool took the VMID between nextid and create (the race Proxmox documents).
  if (mentions(r.err, "already exists on node")) return false;
  fail("pct create", r);
}

void PveTools::start(uint32_t vmid) {
  auto r = run(paths_.pct, {"pct", "start", std::to_string(vmid)});
  if (r.exit.code() == 0) return;
  auto text = pve_error_text(r.err);
  throw Error(ErrorKind::backend, text.empty() ? "pct start failed" : text,
              "LXC's reason is in /run/pve/ct-" + std::to_string(vmid) + ".stderr; `pct start " +
                  std::to_string(vmid) + " --debug 1` shows every step");
}

void PveTools::stop(uint32_t vmid) {
  auto r = run(paths_.pct, {"pct", "stop", std::to_string(vmid)});
  if (r.exit.code() == 0 || mentions(r.err, "not running") || mentions(r.err, "does not exist"))
    return;
  fail("pct stop", r);
}

void PveTools::destroy(uint32_t vmid, bool force) {
  std::vector<std::string> argv{"pct", "destroy", std::to_string(vmid), "--purge", "1"};
  if (force) argv.insert(argv.end(), {"--force", "1"});
  auto r = run(paths_.pct, std::move(argv));
  if (r.exit.code() == 0 || mentions(r.err, "does not exist")) return;
  fail("pct destroy", r);
}

std::optional<std::vector<std::pair<std::string, std::string>>> PveTools::config(uint32_t vmid) {
  auto r = run(paths_.pct, {"pct", "config", std::to_string(vmid), "--current", "1"});
  if (r.exit.code() != 0) {
    if (mentions(r.err, "does not exist")) return std::nullopt;
    fail("pct config", r);
  }
  return parse_pct_config(r.out);
}

void PveTools::set(uint32_t vmid, const std::vector<std::string>& options) {
  std::vector<std::string> argv{"pct", "set", std::to_string(vmid)};
  argv.insert(argv.end(), options.begin(), options.end());
  auto r = run(paths_.pct, std::move(argv));
  if (r.exit.code() != 0) fail("pct set", r);
}

LxcState PveTools::state(uint32_t vmid) {
  auto r = run(paths_.lxc_info, {"lxc-info", "-n", std::to_string(vmid), "-s", "-H"});
  if (r.exit.code() != 0) {
    if (mentions(r.err, "doesn't exist")) return LxcState::missing;
    fail("lxc-info", r);
  }
  auto s = trim(r.out);
  if (s == "RUNNING") return LxcState::running;
  if (s == "FROZEN" || s == "FREEZING") return LxcState::frozen;
  if (s == "STOPPED" || s == "STOPPING" || s == "ABORTING") return LxcState::stopped;
  if (s == "STARTING" || s == "THAWED") return LxcState::running;
  throw Error(ErrorKind::backend, "lxc-info printed an unknown state \"" + s + "\"");
}

std::optional<int> PveTools::init_pid(uint32_t vmid) {
  auto r = run(paths_.lxc_info, {"lxc-info", "-n", std::to_string(vmid), "-p", "-H"});
  if (r.exit.code() != 0) {
    if (mentions(r.err, "doesn't exist")) return std::nullopt;
    fail("lxc-info", r);
  }
  auto out = trim(r.out);
  if (out.empty()) return std::nullopt;  // stopped: lxc-info prints nothing
  auto pid = parse_u32(out);
  if (!pid || *pid == 0 || *pid > static_cast<uint32_t>(INT32_MAX))
    throw Error(ErrorKind::backend, "lxc-info printed \"" + out + "\", not a pid");
  return static_cast<int>(*pid);
}

void PveTools::freeze(uint32_t vmid) {
  auto r = run(paths_.lxc_freeze, {"lxc-freeze", "-n", std::to_string(vmid)});
  if (r.exit.code() != 0) fail("lxc-freeze", r);
}

void PveTools::unfreeze(uint32_t vmid) {
  auto r = run(paths_.lxc_unfreeze, {"lxc-unfreeze", "-n", std::to_string(vmid)});
  if (r.exit.code() != 0) fail("lxc-unfreeze", r);
}

process::Command PveTools::attach(uint32_t vmid, const std::vector<std::string>& env,
                                  std::optional<uint32_t> uid, std::optional<uint32_t> gid,
                                  const std::vector<std::string>& args) const {
  process::Command cmd;
  cmd.path = paths_.lxc_attach;
  cmd.env = environment();
  cmd.argv = {"lxc-attach", "-n", std::to_string(vmid), "--clear-env"};
  for (const auto& var : env) cmd.argv.insert(cmd.argv.end(), {"-v", var});
  if (uid) cmd.argv.insert(cmd.argv.end(), {"-u", std::to_string(*uid)});
  if (gid) cmd.argv.insert(cmd.argv.end(), {"-g", std::to_string(*gid)});
  cmd.argv.push_back("--");
  cmd.argv.insert(cmd.argv.end(), args.begin(), args.end());
  return cmd;
}

}  // namespace nexcage::backend::pct
