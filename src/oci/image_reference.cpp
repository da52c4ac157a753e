#include "nexcage/oci/image_reference.hpp"

#include "nexcage/core/error.hpp"
#include "nexcage/core/registry_host.hpp"
#include "nexcage/core/text.hpp"

namespace nexcage::oci {

namespace {

constexpr std::string_view transport = "docker://";
constexpr std::size_t max_name = 255;  // domain/path, as skopeo 1.9 counts it
constexpr std::size_t max_tag = 128;

bool is_lower_alnum(char c) {
  return is_ascii_lower(c) || is_ascii_digit(c);
}

[[noreturn]] void bad(std::string_view text, const std::string& why) {
  throw Error(ErrorKind::usage,
              "--image \"" + excerpt(printable(text), 200) + "\" is not an image reference: " + why,
              "use [docker://][HOST[:PORT]/]REPO[:TAG][@sha256:DIGEST], e.g. "
              "docker.io/library/nginx:1.27 or localhost:5000/app@sha256:...");
}

// [a-z0-9]+ ((_|.|__|-+) [a-z0-9]+)*
bool is_path_component(std::string_view c) {
  std::size_t i = 0;
  auto run = [&] {
    std::size_t start = i;
    while (i < c.size() && is_lower_alnum(c[i])) ++i;
    return i > start;
  };
  if (!run()) return false;
  while (i < c.size()) {
    if (c[i] == '.' || (c[i] == '_' && (i + 1 >= c.size() || c[i + 1] != '_'))) {
      ++i;
    } else if (c[i] == '_') {
      i += 2;  // "__"
    } else if (c[i] == '-') {
      while (i < c.size() && c[i] == '-') ++i;
    } else {
      return false;
    }
    if (!run()) return false;
  }
  return true;
}

// host[:port], host = label(.label)*, label = [a-zA-Z0-9] | [a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9],
// or [ipv6].
// [\w][\w.-]{0,127}
bool is_tag(std::string_view t) {
  auto word = [](char c) { return is_ascii_alnum(c) || c == '_'; };
  if (t.empty() || t.size() > max_tag || !word(t.front())) return false;
  for (char c : t)
    if (!word(c) && c != '.' && c != '-') return false;
  return true;
}

}  // namespace

std::string ImageReference::name() const {
  return domain + "/" + path;
}

std::string ImageReference::transport_form() const {
  return std::string(transport) + name() + (digest.empty() ? ":" + tag : "@" + digest);
}

std::string ImageReference::display() const {
  return name() + (tag.empty() ? "" : ":" + tag) + (digest.empty() ? "" : "@" + digest);
}

ImageReference parse_image_reference(std::string_view text) {
  std::string_view rest = text;
  if (rest.starts_with(transport)) rest.remove_prefix(transport.size());
  if (rest.empty()) bad(text, "it is empty");
  ImageReference ref;
  if (auto at = rest.find('@'); at != rest.npos) {
    auto digest = rest.substr(at + 1);
    rest = rest.substr(0, at);
    // Only sha256 is pulled by nexcage (and is what registries use).
    if (!digest.starts_with("sha256:") || digest.size() != 7 + 64 ||
        digest.substr(7).find_first_not_of("0123456789abcdef") != digest.npos)
      bad(text, "the digest must be sha256: and 64 lower-case hex digits");
    ref.digest = std::string(digest);
  }
  // A ':' after the last '/' starts the tag; one before it is a port.
  auto slash = rest.rfind('/');
  if (auto colon = rest.rfind(':'); colon != rest.npos && (slash == rest.npos || colon > slash)) {
    auto tag = rest.substr(colon + 1);
    if (!is_tag(tag))
      bad(text,
          "the tag must be 1 to 128 letters, digits, '_', '.' or '-', not starting with '.' "
          "or '-'");
    ref.tag = std::string(tag);
    rest = rest.substr(0, colon);
  }
  // The first component is a registry when it can only be one: it has a '.' or a ':', or it is
  // localhost. Otherwise Docker Hub, where a one-component name is an official image.
  auto first_slash = rest.find('/');
  std::string_view domain, path = rest;
  if (first_slash != rest.npos) {
    auto first = rest.substr(0, first_slash);
    if (first.find_first_of(".:") != first.npos || first == "localhost") {
      domain = first;
      path = rest.substr(first_slash + 1);
    }
  }
  if (domain.empty()) {
    ref.domain = "docker.io";
    ref.path = (path.find('/') == path.npos ? "library/" : "") + std::string(path);
  } else {
    if (!is_registry_host(domain))
      bad(text, "\"" + std::string(domain) + "\" is not a registry host");
    ref.domain = domain == "index.docker.io" ? "docker.io" : std::string(domain);
    ref.path = std::string(path);
    if (ref.domain == "docker.io" && ref.path.find('/') == std::string::npos)
      ref.path = "library/" + ref.path;
  }
  if (path.empty()) bad(text, "the repository name is missing");
  for (std::size_t start = 0;;) {
    auto end = path.find('/', start);
    auto component = path.substr(start, end == path.npos ? path.npos : end - start);
    if (!is_path_component(component)) {
      bool upper = false;
      for (char c : component) upper |= c >= 'A' && c <= 'Z';
      bad(text, upper ? "the repository name must be lower case"
                      : "\"" + std::string(component) +
                            "\" is not a repository name component (a-z, 0-9, separated by '.', "
                            "'_', '__' or '-')");
    }
    if (end == path.npos) break;
    start = end + 1;
  }
  if (path.size() == 64 && path.find_first_not_of("0123456789abcdef") == path.npos)
    bad(text, "a 64-digit hex string is an image id, not a repository name");
  if (ref.name().size() > max_name)
    bad(text, "the name is longer than " + std::to_string(max_name) + " characters");
  if (ref.tag.empty() && ref.digest.empty()) ref.tag = "latest";
  return ref;
}

}  // namespace nexcage::oci
