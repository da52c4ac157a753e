#pragma once
// Each backend call writes its log to a private file; nexcage reads the backend's error message
// from it and re-emits exactly one error line in the caller's --log (podman reads that file as a
// single JSON object).
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
  // The last "error" message the backend logged, or "" if none. With forward_debug, every line
  // is copied into nexcage's own log at debug level.
  std::string last_error(bool forward_debug) const;

 private:
  std::string path_;
};

// The message in one JSON log line of runc or crun (level "error" only); "" otherwise.
std::string error_message_of_line(const std::string& line);

}  // namespace nexcage::backend::oci_cli
