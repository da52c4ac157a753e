#pragma once
// nexcage's own configuration: /etc/nexcage/config.json, or the file named by --config or
// NEXCAGE_CONFIG. Never read from the working directory. Documented in docs/configuration.md.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nexcage/backend/backend_config.hpp"
#include "nexcage/core/log.hpp"
#include "nexcage/core/search_path.hpp"
#include "nexcage/router/pattern.hpp"

namespace nexcage::router {

// /etc/nexcage/config.json for the package; <prefix>/etc/nexcage/config.json for a source install.
inline constexpr const char* default_config_path = NEXCAGE_SYSCONF_DIR "/config.json";
inline constexpr const char* config_env = "NEXCAGE_CONFIG";
inline constexpr const char* backend_annotation = "org.nexcage.backend";

using BackendConfig = backend::BackendConfig;

struct Rule {
  std::string backend;
  std::string annotation;  // empty: the rule matches the container id
  std::string glob;        // exactly one of glob / regex is set
  std::string regex;
  Pattern pattern;        // either one, compiled: the whole value must match
  std::size_t index = 0;  // position in the file, for messages
};

// Where registry images are kept (create --image docker://...): one OCI image layout whose
// blobs every image shares, keyed by manifest digest.
inline constexpr const char* default_image_store = "/var/lib/nexcage/images";

// The "images" object: how registry images are pulled and kept.
struct ImagesConfig {
  std::string store = default_image_store;
  std::string skopeo = tool_paths::skopeo;  // the program that pulls
  // host[:port] reached without TLS verification (and over plain HTTP when TLS fails), as
  // registries.conf's insecure = true; every other registry must present a trusted certificate.
  std::vector<std::string> insecure_registries;
  // A directory laid out as containers-certs.d(5), HOST[:PORT]/*.crt, for registries signed by a
  // private CA; empty: skopeo's own (/etc/containers/certs.d, /etc/docker/certs.d).
  std::string certs_dir;
};

// The "log" object: where an admin's log goes when no --log or NEXCAGE_LOG names one.
struct LogConfig {
  std::optional<std::string> file;  // absolute
  std::optional<log::Format> format;
  std::optional<log::Level> level;
};

// The "metrics" object: operation counts and durations kept in <root>/.metrics (nexcage metrics).
struct MetricsConfig {
  std::optional<bool> enabled;  // unset: on
};

struct Config {
  std::string source;  // the file read, or "built-in defaults"
  std::map<std::string, BackendConfig> backends;
  std::optional<std::string> default_backend;
  std::vector<Rule> rules;
  std::optional<std::string> root;  // state root, overridden by --root
  ImagesConfig images;
  LogConfig log;
  MetricsConfig metrics;
};

// Backend names nexcage has drivers for, in the order tried when nothing else decides.
const std::vector<std::string>& known_backends();
// Backends chosen when nothing else decides, in this order. pct is never among them: it turns an
// OCI bundle into a Proxmox guest, which must be asked for.
const std::vector<std::string>& implicit_backends();

// Built-in defaults: runc at /usr/sbin/runc, crun at /usr/bin/crun (Debian's paths), pct at
// /usr/sbin/pct (Proxmox's).
Config default_config();

// Parses and validates a config document; every problem is reported with its key.
Config parse_config(const nlohmann::json& doc, const std::string& source);

// The same, but a problem skips only the unit it is in (one backend, one rule, one key), whose
// message is added to `skipped`; the rest is used. Never throws for a problem in the document.
Config parse_config_leniently(const nlohmann::json& doc, const std::string& source,
                              std::vector<std::string>& skipped);

// strict: any problem fails the command (create and run, which route by the config).
// lenient: problems are warned about and skipped, so that an admin's typo never stops kill,
// delete, state or list of containers that already exist.
enum class Strictness { strict, lenient };

// Loads the config: `explicit_file` (--config) > $NEXCAGE_CONFIG > /etc/nexcage/config.json >
// built-in defaults. An explicitly named file must exist; the default one may be absent.
Config load_config(const std::optional<std::string>& explicit_file, const char* env_value,
                   Strictness strictness = Strictness::strict);

}  // namespace nexcage::router
