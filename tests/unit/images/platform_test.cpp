// The host's platform in the image spec's names, and picking it from an index.
#include <gtest/gtest.h>

#include "nexcage/core/error.hpp"
#include "nexcage/images/platform.hpp"

using namespace nexcage::images;

namespace {

nlohmann::json index_of(const char* text) {
  return nlohmann::json::parse(text);
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const nexcage::Error& e) {
    return e.what() + std::string(" | ") + e.hint();
  }
  return "no error";
}

const char* const two_platforms = R"({
  "schemaVersion": 2,
  "mediaType": "application/vnd.oci.image.index.v1+json",
  "manifests": [
    {"digest": "sha256:aaaa", "platform": {"os": "linux", "architecture": "arm", "variant": "v6"}},
    {"digest": "sha256:bbbb", "platform": {"os": "linux", "architecture": "arm", "variant": "v7"}},
    {"digest": "sha256:cccc", "platform": {"os": "linux", "architecture": "amd64"}},
    {"digest": "sha256:dddd", "platform": {"os": "windows", "architecture": "amd64"}}
  ]})";

}  // namespace

TEST(Platform, MachineNamesAreGoNames) {
  EXPECT_EQ(platform_of_machine("x86_64").display(), "linux/amd64");
  EXPECT_EQ(platform_of_machine("aarch64").display(), "linux/arm64/v8");
  EXPECT_EQ(platform_of_machine("armv7l").display(), "linux/arm/v7");
  EXPECT_EQ(platform_of_machine("ppc64le").display(), "linux/ppc64le");
  EXPECT_EQ(platform_of_machine("pdp11").architecture, "");
  EXPECT_FALSE(host_platform().architecture.empty());
}

TEST(Platform, IndexesAndListsAreRecognised) {
  EXPECT_TRUE(is_index(index_of(two_platforms)));
  EXPECT_TRUE(is_index(index_of(
      R"({"mediaType":"application/vnd.docker.distribution.manifest.list.v2+json","manifests":[]})")));
  EXPECT_TRUE(is_index(index_of(R"({"schemaVersion":2,"manifests":[]})")));
  EXPECT_FALSE(is_index(index_of(R"({"schemaVersion":2,"config":{},"layers":[]})")));
  EXPECT_FALSE(is_index(index_of(
      R"({"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{},"layers":[]})")));
}

TEST(Platform, PicksTheHostsBuildVariantFirst) {
  auto index = index_of(two_platforms);
  EXPECT_EQ(pick_platform(index, {"linux", "amd64", ""}, "img"), "sha256:cccc");
  EXPECT_EQ(pick_platform(index, {"linux", "arm", "v7"}, "img"), "sha256:bbbb");
  // The host names a variant the index leaves out: os and architecture decide.
  EXPECT_EQ(pick_platform(index, {"linux", "amd64", "v3"}, "img"), "sha256:cccc");
  EXPECT_EQ(error_of([&] {
              pick_platform(index, {"linux", "s390x", ""}, "img");
            }),
            "the image img has no build for this host's platform linux/s390x | it is built for "
            "linux/arm/v6, linux/arm/v7, linux/amd64, windows/amd64");
  EXPECT_EQ(error_of([&] {
              pick_platform(index_of(R"({"manifests":[]})"), {"linux", "amd64", ""}, "img");
            }),
            "the image img has no build for this host's platform linux/amd64 | its index names "
            "no platform");
}

TEST(Platform, ASinglePlatformImageMustBeTheHosts) {
  Platform amd64{"linux", "amd64", ""};
  check_platform(index_of(R"({"os":"linux","architecture":"amd64"})"), amd64, "img");
  check_platform(index_of(R"({"config":{}})"), amd64, "img");  // names none: taken as the host's
  EXPECT_EQ(error_of([&] {
              check_platform(index_of(R"({"os":"linux","architecture":"arm64"})"), amd64, "img");
            }),
            "the image img is built for linux/arm64, not for this host's linux/amd64 | pull a tag "
            "or digest built for linux/amd64");
}
