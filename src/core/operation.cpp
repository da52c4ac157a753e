#include "nexcage/core/operation.hpp"

#include <fmt/format.h>

#include "nexcage/core/log.hpp"

namespace nexcage::operation {

namespace {

struct State {
  Record record;
  Finisher finisher;
  bool finished = false;
};

State& state() {
  static State s;
  return s;
}

double ms_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

}  // namespace

void begin() {
  state() = State{};
  state().record.started = std::chrono::steady_clock::now();
}

const Record& current() {
  return state().record;
}

void note_op(const std::string& op) {
  state().record.op = op;
}

void note_id(const std::string& id) {
  state().record.id = id;
}

void note_backend(const std::string& backend) {
  state().record.backend = backend;
}

void note_vmid(uint32_t vmid) {
  state().record.vmid = vmid;
}

Step::Step(std::string name) : name_(std::move(name)), started_(std::chrono::steady_clock::now()) {}

Step::~Step() {
  double ms = ms_since(started_);
  state().record.steps.emplace_back(name_, ms);
  log::debug(fmt::format("step {} took {:.3f} ms", name_, ms));
}

void set_finisher(Finisher finisher) {
  state().finisher = std::move(finisher);
}

void finish(const Outcome& outcome) {
  auto& s = state();
  if (s.finished) return;
  s.finished = true;
  s.record.duration_ms = ms_since(s.record.started);
  if (!s.finisher) return;
  try {
    s.finisher(s.record, outcome);
  } catch (...) {
    // Logging and counting never change how a command ends.
  }
}

}  // namespace nexcage::operation
