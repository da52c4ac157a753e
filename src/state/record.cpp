#include "nexcage/state/record.hpp"

#include <filesystem>

#include "nexcage/core/container_id.hpp"
#include "nexcage/core/error.hpp"

namespace nexcage::state {

std::string to_string(Status status) {
  switch (status) {
    case Status::creating:
      return "creating";
    case Status::created:
      return "created";
    case Status::running:
      return "running";
    case Status::paused:
      return "paused";
    case Status::stopped:
      return "stopped";
  }
  return "stopped";
}

Status status_from_string(const std::string& text) {
  for (Status s :
       {Status::creating, Status::created, Status::running, Status::paused, Status::stopped}) {
    if (to_string(s) == text) return s;
  }
  throw Error(ErrorKind::invalid_input, "state record: unknown status \"" + text + "\"");
}

nlohmann::json to_json(const Record& record) {
  nlohmann::json doc{
      {"format", record_format_version},
      {"id", record.id},
      {"status", to_string(record.status)},
      {"pid", record.pid},
      {"init_start_time", record.init_start_time},
      {"bundle", record.bundle},
      {"rootfs", record.rootfs},
      {"created", record.created},
      {"annotations", record.annotations},
      {"backend", record.backend},
      {"backend_state", record.backend_state},
  };
  if (record.handover) {
    const auto& h = *record.handover;
    doc["handover"] = {
        {"pid", h.pid}, {"start_time", h.start_time}, {"command", to_string(h.command)}};
    if (!h.pid_file.empty()) doc["handover"]["pid_file"] = h.pid_file;
  }
  return doc;
}

std::string to_string(Handover::Command command) {
  switch (command) {
    case Handover::Command::run:
      return "run";
    case Handover::Command::create:
      return "create";
    case Handover::Command::remove:
      return "delete";
  }
  return "run";
}

Handover::Command handover_command_from_string(const std::string& text) {
  using Command = Handover::Command;
  for (Command c : {Command::run, Command::create, Command::remove})
    if (to_string(c) == text) return c;
  throw Error(ErrorKind::invalid_input, "state record: field \"handover.command\" is \"" + text +
                                            "\", not run, create or delete");
}

namespace {

const nlohmann::json& field(const nlohmann::json& doc, const char* name) {
  auto it = doc.find(name);
  if (it == doc.end())
    throw Error(ErrorKind::invalid_input,
                std::string("state record: missing field \"") + name + "\"");
  return *it;
}

std::string string_field(const nlohmann::json& doc, const char* name) {
  const auto& v = field(doc, name);
  if (!v.is_string())
    throw Error(ErrorKind::invalid_input,
                std::string("state record: field \"") + name + "\" must be a string");
  return v.get<std::string>();
}

int pid_field(const nlohmann::json& doc, const char* name, const char* what) {
  const auto& v = field(doc, name);
  if (!v.is_number_integer() || v.get<int64_t>() < 0 || v.get<int64_t>() > 4194304)
    throw Error(ErrorKind::invalid_input,
                std::string("state record: field \"") + what + "\" must be a pid");
  return v.get<int>();
}

uint64_t start_time_field(const nlohmann::json& doc, const char* name, const char* what) {
  const auto& v = field(doc, name);
  if (!v.is_number_unsigned() && !(v.is_number_integer() && v.get<int64_t>() >= 0))
    throw Error(ErrorKind::invalid_input,
                std::string("state record: field \"") + what + "\" must be an unsigned integer");
  return v.get<uint64_t>();
}

}  // namespace

Record record_from_json(const nlohmann::json& doc) {
  if (!doc.is_object()) throw Error(ErrorKind::invalid_input, "state record: not a JSON object");
  const auto& format = field(doc, "format");
  if (!format.is_number_integer() || format.get<int>() != record_format_version)
    throw Error(ErrorKind::invalid_input, "state record: unsupported format " + format.dump() +
                                              " (expected " +
                                              std::to_string(record_format_version) + ")");
  Record r;
  r.id = string_field(doc, "id");
  if (!is_valid_container_id(r.id))
    throw Error(ErrorKind::invalid_input, "state record: invalid id \"" + r.id + "\"");
  r.status = status_from_string(string_field(doc, "status"));
  r.pid = pid_field(doc, "pid", "pid");
  r.init_start_time = start_time_field(doc, "init_start_time", "init_start_time");
  r.bundle = string_field(doc, "bundle");
  r.rootfs = string_field(doc, "rootfs");
  r.created = string_field(doc, "created");
  const auto& annotations = field(doc, "annotations");
  if (!annotations.is_object())
    throw Error(ErrorKind::invalid_input, "state record: field \"annotations\" must be an object");
  for (const auto& [k, v] : annotations.items()) {
    if (!v.is_string())
      throw Error(ErrorKind::invalid_input,
                  "state record: annotation \"" + k + "\" must be a string");
    r.annotations[k] = v.get<std::string>();
  }
  r.backend = string_field(doc, "backend");
  if (r.backend.empty()) throw Error(ErrorKind::invalid_input, "state record: empty backend");
  r.backend_state = field(doc, "backend_state");
  if (!r.backend_state.is_object())
    throw Error(ErrorKind::invalid_input,
                "state record: field \"backend_state\" must be an object");
  if (auto it = doc.find("handover"); it != doc.end()) {
    if (!it->is_object())
      throw Error(ErrorKind::invalid_input, "state record: field \"handover\" must be an object");
    Handover h;
    h.pid = pid_field(*it, "pid", "handover.pid");
    h.start_time = start_time_field(*it, "start_time", "handover.start_time");
    if (h.pid == 0)
      throw Error(ErrorKind::invalid_input, "state record: field \"handover.pid\" must be a pid");
    // Records of versions that handed over only `run` have neither key.
    if (auto command = it->find("command"); command != it->end()) {
      if (!command->is_string())
        throw Error(ErrorKind::invalid_input,
                    "state record: field \"handover.command\" must be a string");
      h.command = handover_command_from_string(command->get<std::string>());
    }
    if (auto pid_file = it->find("pid_file"); pid_file != it->end()) {
      if (!pid_file->is_string() ||
          !std::filesystem::path(pid_file->get<std::string>()).is_absolute() ||
          h.command != Handover::Command::create)
        throw Error(ErrorKind::invalid_input,
                    "state record: field \"handover.pid_file\" must be an absolute path, and "
                    "only a create's");
      h.pid_file = pid_file->get<std::string>();
    }
    r.handover = h;
  }
  return r;
}

}  // namespace nexcage::state
