#pragma once
// A Runner that records every command and answers like a scripted runc, so lifecycle operations
// can be tested without root or a real runtime.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nexcage/process/runner.hpp"

namespace nexcage::fakes {

class FakeRunner final : public process::Runner {
 public:
  struct Reply {
    int exit_code = 0;
    std::string out;
    std::string logged_error;  // written as a JSON error line to the command's --log file
  };

  std::vector<process::Command> commands;
  std::map<std::string, Reply> replies;  // by subcommand ("create", "delete", ...)
  int pid_to_report = getpid();          // create writes it to --pid-file

  static std::string value_after(const std::vector<std::string>& argv, const std::string& flag) {
    for (std::size_t i = 0; i + 1 < argv.size(); ++i)
      if (argv[i] == flag) return argv[i + 1];
    return {};
  }

  static std::string subcommand(const std::vector<std::string>& argv) {
    for (const char* name : {"create", "start", "kill", "delete", "exec", "pause", "resume", "ps",
                             "update", "events", "features", "--version", "-W"})
      for (const auto& a : argv)
        if (a == name) return name;
    return {};
  }

  process::Exit answer(const process::Command& cmd) {
    commands.push_back(cmd);
    auto sub = subcommand(cmd.argv);
    Reply reply = replies.count(sub) ? replies[sub] : Reply{};
    auto log = value_after(cmd.argv, "--log");
    if (!reply.logged_error.empty() && !log.empty())
      std::ofstream(log, std::ios::app) << R"({"level":"error","msg":")" << reply.logged_error
                                        << R"(","time":"2026-11-22T00:00:00Z"})"
                                        << "\n";
    auto pid_file = value_after(cmd.argv, "--pid-file");
    if (reply.exit_code == 0 && !pid_file.empty()) std::ofstream(pid_file) << pid_to_report;
    // As runc: a deleted container's state directory is gone.
    auto root = value_after(cmd.argv, "--root");
    if (reply.exit_code == 0 && sub == "delete" && !root.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(std::filesystem::path(root) / cmd.argv.back(), ec);
    }
    last_out = reply.out;
    return process::Exit{reply.exit_code << 8};
  }

  process::Captured capture(const process::Command& cmd) override {
    auto exit = answer(cmd);
    return process::Captured{exit, last_out, ""};
  }
  process::Exit inherit(const process::Command& cmd) override { return answer(cmd); }
  int spawn(const process::Command& cmd) override {
    answer(cmd);
    return 0;
  }
  // execve never returns: by default the fake throws instead (what was set up for the backend
  // is then undone, as after a failed execve). With exit_on_replace (in a child process, see
  // lifecycle_test's in_replaced_process) the process ends as the backend would, with its reply's
  // status, its command appended as a JSON array to replaced_log.
  void exec_replacing(const process::Command& cmd) override {
    auto exit = answer(cmd);
    if (!exit_on_replace) throw std::runtime_error("replaced");
    std::ofstream(replaced_log, std::ios::app) << nlohmann::json(cmd.argv).dump() << "\n";
    ::_exit(exit.code());
  }
  bool exit_on_replace = false;
  std::string replaced_log;

 private:
  std::string last_out;
};

}  // namespace nexcage::fakes
