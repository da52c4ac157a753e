#pragma once
// Registry image references as podman and skopeo read them (distribution/reference's grammar and
// its normalisation): `nginx`, `nginx:1.27`, `docker.io/library/nginx@sha256:...`,
// `localhost:5000/team/app:v2`, with or without a `docker://` prefix. Parsed by hand to the same
// rules, so a reference nexcage accepts is one skopeo accepts, and the other way round.
#include <string>
#include <string_view>

namespace nexcage::oci {

struct ImageReference {
  std::string domain;  // "docker.io", "localhost:5000", "registry.example.com"
  std::string path;    // "library/nginx", "team/app"
  std::string tag;     // "1.27"; "latest" when neither tag nor digest was given; "" with a digest
  std::string digest;  // "sha256:<64 hex>", or ""

  // domain/path
  std::string name() const;
  // The form skopeo takes: docker://domain/path@digest, else docker://domain/path:tag.
  std::string transport_form() const;
  // domain/path:tag, domain/path@digest, or both when both were given (for people).
  std::string display() const;
};

// Parses `text`; throws Error(usage) naming what is wrong and the accepted forms. A reference
// with both a tag and a digest keeps both and is pulled by digest, as podman does.
ImageReference parse_image_reference(std::string_view text);

}  // namespace nexcage::oci
