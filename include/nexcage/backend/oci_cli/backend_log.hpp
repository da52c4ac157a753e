#pragma once
// Each backend call writes its log to a private file (it may be the first of several calls on one
// container, and the caller's --log must not get a half-written line from a killed backend).
// Afterwards its lines are relayed to the caller (core/log.hpp) and its last error message is
// returned for nexcage's own error.
#include <filesystem>
#include <string>

namespace nexcage::backend::oci_cli {

class BackendLog {
 public:
  explicit BackendLog(const std::filesystem::path& dir);
  BackendLog(const BackendLog&) = delete;
  BackendLog& operator=(const BackendLog&) = delete;
  ~BackendLog();

  const std::string& path() const { return path_; }
  struct Relayed {
    std::string last_error;          // the message of the backend's last error line, "" if none
    bool last_error_logged = false;  // that line reached the caller's --log
  };
  // Relays every line to the caller's log. When the backend failed, its last error line is kept
  // off stderr: it is the failure itself, which the backend printed there or report() prints.
  Relayed relay(bool failed) const;

 private:
  std::string path_;
};

}  // namespace nexcage::backend::oci_cli
