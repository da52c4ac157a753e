// Image references read as podman and skopeo read them (distribution/reference's normalisation).
#include <gtest/gtest.h>

#include "nexcage/core/error.hpp"
#include "nexcage/oci/image_reference.hpp"

using nexcage::Error;
using nexcage::ErrorKind;
using nexcage::oci::parse_image_reference;

namespace {

std::string normalized(const std::string& text) {
  return parse_image_reference(text).display();
}

std::string refusal(const std::string& text) {
  try {
    parse_image_reference(text);
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::usage) << text;
    return e.what();
  }
  ADD_FAILURE() << text << " was accepted";
  return {};
}

const std::string hex(64, 'a');

TEST(ImageReference, ShortNamesAreDockerHubsAsPodmanReadsThem) {
  EXPECT_EQ(normalized("nginx"), "docker.io/library/nginx:latest");
  EXPECT_EQ(normalized("nginx:1.27"), "docker.io/library/nginx:1.27");
  EXPECT_EQ(normalized("library/nginx"), "docker.io/library/nginx:latest");
  EXPECT_EQ(normalized("foo/bar"), "docker.io/foo/bar:latest");
  EXPECT_EQ(normalized("docker.io/nginx"), "docker.io/library/nginx:latest");
  EXPECT_EQ(normalized("index.docker.io/library/nginx:1"), "docker.io/library/nginx:1");
  // A name without '/' is a repository, even when it looks like a host with a port.
  EXPECT_EQ(normalized("localhost:5000"), "docker.io/library/localhost:5000");
}

TEST(ImageReference, AFirstComponentWithADotAColonOrLocalhostIsARegistry) {
  EXPECT_EQ(normalized("localhost:5000/x"), "localhost:5000/x:latest");
  EXPECT_EQ(normalized("localhost/team/app:v2"), "localhost/team/app:v2");
  EXPECT_EQ(normalized("foo.bar/x"), "foo.bar/x:latest");
  EXPECT_EQ(normalized("127.0.0.1:5000/test/bb:1.0"), "127.0.0.1:5000/test/bb:1.0");
  EXPECT_EQ(normalized("[::1]:5000/x"), "[::1]:5000/x:latest");
  EXPECT_EQ(normalized("docker://quay.io/podman/hello"), "quay.io/podman/hello:latest");
}

TEST(ImageReference, DigestsPinTheImage) {
  auto ref = parse_image_reference("localhost:5000/app@sha256:" + hex);
  EXPECT_EQ(ref.tag, "");
  EXPECT_EQ(ref.digest, "sha256:" + hex);
  EXPECT_EQ(ref.transport_form(), "docker://localhost:5000/app@sha256:" + hex);
  // Tag and digest: both kept, pulled by digest.
  auto both = parse_image_reference("nginx:1.27@sha256:" + hex);
  EXPECT_EQ(both.display(), "docker.io/library/nginx:1.27@sha256:" + hex);
  EXPECT_EQ(both.transport_form(), "docker://docker.io/library/nginx@sha256:" + hex);
  EXPECT_EQ(parse_image_reference("nginx").transport_form(),
            "docker://docker.io/library/nginx:latest");
}

TEST(ImageReference, PathComponentsFollowTheGrammar) {
  EXPECT_EQ(normalized("team/a.b_c__d---e"), "docker.io/team/a.b_c__d---e:latest");
  // A first component with a dot names a registry, whatever follows.
  EXPECT_EQ(normalized("a.b/c"), "a.b/c:latest");
  for (const char* bad : {"a//b", "a/", "/a", "a..b", "a_.b", "-a", "a-", "a___b", "a b"})
    EXPECT_NE(refusal(bad).find("is not a repository name component"), std::string::npos) << bad;
  EXPECT_NE(refusal("Foo/bar").find("must be lower case"), std::string::npos);
  EXPECT_NE(refusal("UPPER:1").find("must be lower case"), std::string::npos);
}

TEST(ImageReference, TagsDigestsAndLengthsAreChecked) {
  EXPECT_EQ(normalized("x:" + std::string(128, 't')),
            "docker.io/library/x:" + std::string(128, 't'));
  EXPECT_NE(refusal("x:" + std::string(129, 't')).find("the tag must be"), std::string::npos);
  for (const char* bad : {"nginx:Bad^", "nginx:", "nginx:.x", "nginx:-x"})
    EXPECT_NE(refusal(bad).find("the tag must be"), std::string::npos) << bad;
  for (const char* bad : {"nginx@sha256:abc", "nginx@md5:0123", "nginx@"})
    EXPECT_NE(refusal(bad).find("the digest must be"), std::string::npos) << bad;
  EXPECT_NE(refusal("nginx@sha256:" + std::string(64, 'A')).find("the digest must be"),
            std::string::npos);
  EXPECT_NE(refusal("localhost:5000/" + std::string(250, 'a')).find("longer than 255"),
            std::string::npos);
  EXPECT_NE(refusal(hex).find("image id"), std::string::npos);
  EXPECT_NE(refusal("").find("empty"), std::string::npos);
  EXPECT_NE(refusal("docker://").find("empty"), std::string::npos);
}

TEST(ImageReference, RegistryHostsAreChecked) {
  for (const char* bad : {"-bad.example/x", "bad-.example/x", "a..b.example/x", "host.:5000/x",
                          "host.example:/x", "host.example:50a/x", "ho_st.example/x"})
    EXPECT_NE(refusal(bad).find("is not a registry host"), std::string::npos) << bad;
}

TEST(ImageReference, RefusalsNameTheFormsAccepted) {
  try {
    parse_image_reference("nginx:Bad^");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.hint()).find("docker.io/library/nginx:1.27"), std::string::npos);
  }
}

}  // namespace
