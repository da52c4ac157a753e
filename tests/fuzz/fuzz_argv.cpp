// The command line as run_app (src/cli/app.cpp) handles it: the input split at NUL bytes into
// arguments after "nexcage", the CLI definition for them (define_cli_for: only the named command
// when the line names one), normalize_argv (runc's Go-style -flag spellings, "--" before an exec
// or ps container command), then CLI11's parse. Nothing is run: the parsed command's action is
// only bound, never called.
//
// Checked beyond "no crash": define_cli_for's fast path must not change the outcome. The same
// line normalised and parsed with the full definition (define_cli) must normalise identically,
// and succeed or fail alike, with the same global flags and the same command.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/definition.hpp"
#include "cli/normalize.hpp"

namespace cli = nexcage::cli;

namespace {

struct Parsed {
  std::vector<std::string> normalized;
  bool ok = false;
  std::string command;
  cli::GlobalFlags g;
};

template <typename Define>
Parsed parse(const std::vector<std::string>& args, Define define) {
  Parsed p;
  CLI::App app;
  cli::Action action;
  define(app, p.g, action);
  p.normalized = cli::normalize_argv(app, args, {"exec", "ps"});
  std::vector<const char*> argv;
  for (const auto& a : p.normalized) argv.push_back(a.c_str());
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
    p.ok = true;
    auto subs = app.get_subcommands();
    if (!subs.empty()) p.command = subs.front()->get_name();
  } catch (const CLI::ParseError&) {
  }
  return p;
}

bool same_flags(const cli::GlobalFlags& a, const cli::GlobalFlags& b) {
  return a.root == b.root && a.log == b.log && a.log_format == b.log_format && a.debug == b.debug &&
         a.quiet == b.quiet && a.systemd_cgroup == b.systemd_cgroup && a.rootless == b.rootless &&
         a.criu == b.criu && a.config == b.config && a.backend == b.backend &&
         a.version == b.version;
}

[[noreturn]] void finding(const char* what, const std::vector<std::string>& args) {
  std::fprintf(stderr, "define_cli_for changed the outcome (%s) for:", what);
  for (const auto& a : args) std::fprintf(stderr, " [%s]", a.c_str());
  std::fprintf(stderr, "\n");
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<std::string> args{"nexcage"};
  std::string current;
  for (size_t i = 0; i < size; ++i) {
    if (data[i] == 0) {
      args.push_back(current);
      current.clear();
    } else {
      current.push_back(static_cast<char>(data[i]));
    }
  }
  if (size > 0) args.push_back(current);

  auto fast = parse(args, [&](CLI::App& app, cli::GlobalFlags& g, cli::Action& action) {
    cli::define_cli_for(app, g, action, args);
  });
  auto full = parse(args, [](CLI::App& app, cli::GlobalFlags& g, cli::Action& action) {
    cli::define_cli(app, g, action);
  });
  if (fast.normalized != full.normalized) finding("normalized argv", args);
  if (fast.ok != full.ok)
    finding(fast.ok ? "only the fast path parses" : "only the full definition parses", args);
  if (fast.ok && (fast.command != full.command || !same_flags(fast.g, full.g)))
    finding("parsed values", args);
  return 0;
}
