#pragma once
// The CLI layer parses only: each cmd_*.cpp declares one command's flags and turns them into a
// lifecycle request; every decision is made in lifecycle/.
#include <functional>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "nexcage/lifecycle/context.hpp"

namespace nexcage::cli {

struct GlobalFlags {
  std::string root;
  std::string log;
  std::optional<std::string> log_format;
  std::optional<std::string> log_level;
  bool debug = false;
  bool quiet = false;
  bool systemd_cgroup = false;
  std::string rootless = "auto";  // accepted for compatibility; nexcage runs as root
  std::string criu;               // runc's --criu PATH, for checkpoint and restore
  std::optional<std::string> config;
  std::optional<std::string> backend;
  bool version = false;
};

// What the chosen command does once the context exists. Returns the exit code.
struct Action {
  std::function<int(lifecycle::Context&)> run;
  bool needs_context = true;
  std::function<int()> run_without_context;
  // For commands that must run even when the config is broken (doctor reports it).
  std::function<int(const GlobalFlags&)> run_with_flags;
  // The exit code when `run` fails, for a command with a convention of its own (exec: 255);
  // unset: the error kind's (exit_code_for). A failure before `run` (the config, the state root)
  // keeps the kind's code.
  std::optional<int> failure_exit_code;
};

using Register = void (*)(CLI::App& app, Action& action);

void add_create(CLI::App& app, Action& action);
void add_start(CLI::App& app, Action& action);
void add_state(CLI::App& app, Action& action);
void add_kill(CLI::App& app, Action& action);
void add_delete(CLI::App& app, Action& action);
void add_run(CLI::App& app, Action& action);
void add_exec(CLI::App& app, Action& action);
void add_list(CLI::App& app, Action& action);
void add_ps(CLI::App& app, Action& action);
void add_pause(CLI::App& app, Action& action);
void add_resume(CLI::App& app, Action& action);
void add_update(CLI::App& app, Action& action);
void add_checkpoint(CLI::App& app, Action& action);
void add_restore(CLI::App& app, Action& action);
void add_events(CLI::App& app, Action& action);
void add_features(CLI::App& app, Action& action);
void add_spec(CLI::App& app, Action& action);
void add_doctor(CLI::App& app, Action& action);
void add_image(CLI::App& app, Action& action);
void add_metrics(CLI::App& app, Action& action);
void add_config(CLI::App& app, Action& action);

// Writes all of `text` to stdout (fd 1), unbuffered.
void print(const std::string& text);

// The positional container id every container command takes.
CLI::Option* add_id(CLI::App& sub, std::string& id);

}  // namespace nexcage::cli
