#pragma once
// The command this process is carrying out, as its log record and its metrics describe it: what
// it was (create, state...), on which container, through which backend and VMID, how long each
// step took, and how it ended. Every layer adds what it learns; whoever ends the process (the CLI
// when the command returns, process::Runner::replace just before a backend takes over the
// process) calls finish() once, which hands the record to the finisher installed for the command.
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace nexcage::operation {

struct Record {
  std::string op;  // the command: create, start, state, ...
  std::string id;  // the container, when the command names one
  std::string backend;
  std::optional<uint32_t> vmid;  // a Proxmox container's
  std::chrono::steady_clock::time_point started;
  double duration_ms = 0;  // set by finish(): the one duration the log and the metrics both show
  std::vector<std::pair<std::string, double>> steps;  // name, milliseconds; in the order they ended
};

struct Outcome {
  bool ok = true;
  std::string error_kind;          // empty when ok: usage, not_found, backend, ... (ErrorKind)
  std::string error_message;       // the error as reported, one line
  std::optional<int> exit_status;  // none when the process was handed to a backend (exec, run)
  // The backend's own error line is in the caller's log already: the record adds no second one.
  bool error_logged_by_backend = false;

  // "ok", or the error's kind: the record's result field and the metrics' result label.
  const std::string& result() const {
    static const std::string ok_text = "ok";
    return ok ? ok_text : error_kind;
  }
};

// Starts a new record: the clock, and nothing known yet. Drops a finisher left by a previous
// begin() (a test running several commands in one process).
void begin();
const Record& current();

void note_op(const std::string& op);
void note_id(const std::string& id);
void note_backend(const std::string& backend);
void note_vmid(uint32_t vmid);

// Times one step of the command (validate, claim, backend, record) from construction to
// destruction; the step is added to the record, and shown as a debug line when it ends.
class Step {
 public:
  explicit Step(std::string name);
  ~Step();
  Step(const Step&) = delete;
  Step& operator=(const Step&) = delete;

 private:
  std::string name_;
  std::chrono::steady_clock::time_point started_;
};

// What is done with the record once the command ends (logged, counted); installed once the command
// knows where its log and metrics go.
using Finisher = std::function<void(const Record&, const Outcome&)>;
void set_finisher(Finisher finisher);

// Sets the record's duration and hands it to the finisher, once: later calls do nothing. Never
// throws.
void finish(const Outcome& outcome);

}  // namespace nexcage::operation
