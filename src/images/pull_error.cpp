#include "nexcage/images/pull_error.hpp"

#include "nexcage/core/text.hpp"

namespace nexcage::images {

namespace {

bool has(const std::string& text, const char* part) {
  return text.find(part) != std::string::npos;
}

// The Go-quoted string that starts at `text[start]` (after the opening quote).
std::string go_unquote(const std::string& text, std::size_t start) {
  std::string out;
  for (std::size_t i = start; i < text.size(); ++i) {
    char c = text[i];
    if (c == '"') break;
    if (c == '\\' && i + 1 < text.size()) {
      char n = text[++i];
      out += n == 'n' ? '\n' : n == 't' ? '\t' : n;
      continue;
    }
    out += c;
  }
  return out;
}

}  // namespace

std::string skopeo_message(const std::string& skopeo_stderr) {
  constexpr std::string_view marker = "level=fatal msg=\"";
  auto at = skopeo_stderr.rfind(marker);
  if (at != std::string::npos) return go_unquote(skopeo_stderr, at + marker.size());
  return last_line(skopeo_stderr);
}

RegistryAnswer classify_registry_answer(const std::string& m) {
  if (has(m, "unauthorized") || has(m, "denied:") ||
      has(m, "requested access to the resource is denied"))
    return RegistryAnswer::unauthorized;
  if (has(m, "manifest unknown") || has(m, "name unknown") || has(m, "not found"))
    return RegistryAnswer::not_found;
  if (has(m, "x509:") || has(m, "tls:") || has(m, "server gave HTTP response to HTTPS client"))
    return RegistryAnswer::tls;
  if (has(m, "connection refused") || has(m, "no such host") || has(m, "i/o timeout") ||
      has(m, "network is unreachable") || has(m, "no route to host") || has(m, "connection reset"))
    return RegistryAnswer::unreachable;
  return RegistryAnswer::other;
}

Error pull_error(const std::string& registry, const std::string& image,
                 const std::string& skopeo_stderr) {
  auto message = skopeo_message(skopeo_stderr);
  if (message.empty()) message = "skopeo failed without a message";
  // The registry's own words are the tail of skopeo's chain ("reading manifest ...: <answer>").
  auto answer = message;
  for (const char* tail : {"unauthorized", "denied", "manifest unknown", "name unknown",
                           "x509:", "tls:", "server gave HTTP", "dial tcp", "no such host"}) {
    if (auto at = message.find(tail); at != std::string::npos) {
      answer = message.substr(at);
      break;
    }
  }
  const std::string config_file = "/etc/nexcage/config.json";
  switch (classify_registry_answer(message)) {
    case RegistryAnswer::unauthorized:
      return Error(
          ErrorKind::invalid_input, "registry " + registry + " refused " + image + ": " + answer,
          "log in first (podman login " + registry + ", or skopeo login " + registry +
              "); nexcage reads $REGISTRY_AUTH_FILE, $XDG_RUNTIME_DIR/containers/auth.json "
              "or /etc/containers/auth.json");
    case RegistryAnswer::not_found:
      return Error(ErrorKind::not_found,
                   "registry " + registry + " has no " + image + ": " + answer,
                   "check the repository and tag (skopeo list-tags docker://" + registry + "/...)");
    case RegistryAnswer::tls:
      return Error(ErrorKind::invalid_input,
                   "registry " + registry + " failed TLS verification: " + answer,
                   "put its CA certificate in /etc/containers/certs.d/" + registry +
                       "/ca.crt (or the images.certs_dir of " + config_file +
                       "); list it in images.insecure_registries only if it must be reached "
                       "without TLS");
    case RegistryAnswer::unreachable:
      return Error(ErrorKind::system, "registry " + registry + " is unreachable: " + answer,
                   "check the host name, port and network");
    case RegistryAnswer::other:
      break;
  }
  return Error(ErrorKind::invalid_input, "pulling " + image + " from " + registry + ": " + message);
}

}  // namespace nexcage::images
