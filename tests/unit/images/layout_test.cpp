// Reading OCI layouts: digests checked before they name a file, blobs checked against them.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "../temp_dir.hpp"
#include "error_text.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/core/sha256.hpp"
#include "nexcage/images/layout.hpp"
#include "nexcage/images/store.hpp"

using namespace nexcage::images;
using nexcage::testing_support::error_of;
using nexcage::testing_support::TempDir;
namespace fsys = std::filesystem;

namespace {

// A layout with one image tagged `tag` whose blobs are written by content.
struct TestLayout {
  TempDir dir{"nexcage-layout"};
  std::string put(const std::string& bytes) {
    auto hex = nexcage::sha256_hex(bytes);
    fsys::create_directories(dir.path() / "blobs/sha256");
    std::ofstream(dir.path() / "blobs/sha256" / hex) << bytes;
    return "sha256:" + hex;
  }
  std::string manifest_digest;
  explicit TestLayout(const std::string& tag, const std::string& arch = "amd64") {
    auto config = put(R"({"architecture":")" + arch + R"(","os":"linux","config":{"Cmd":["sh"]}})");
    auto layer = put("not really a tar");
    nlohmann::json manifest = {{"schemaVersion", 2},
                               {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                               {"config", {{"digest", config}, {"size", 100}}},
                               {"layers", {{{"digest", layer}, {"size", 16}}}}};
    manifest_digest = put(manifest.dump());
    std::ofstream(dir.path() / "oci-layout") << R"({"imageLayoutVersion":"1.0.0"})";
    nlohmann::json index = {{"schemaVersion", 2},
                            {"manifests",
                             {{{"digest", manifest_digest},
                               {"size", 1},
                               {"annotations", {{ref_name_annotation, tag}}}}}}};
    std::ofstream(dir.path() / "index.json") << index.dump();
  }
};

const Platform amd64{"linux", "amd64", ""};

}  // namespace

TEST(Layout, ReadsATaggedImage) {
  TestLayout t("v1");
  Layout layout(t.dir.path());
  EXPECT_TRUE(layout.exists());
  EXPECT_EQ(layout.tags(), std::vector<std::string>{"v1"});
  auto image = layout.image("v1", amd64);
  EXPECT_EQ(image.manifest_digest, t.manifest_digest);
  EXPECT_EQ(image.config["config"]["Cmd"][0], "sh");
  EXPECT_EQ(image.size, 116u);
  EXPECT_EQ(error_of([&] { layout.image("v2", amd64); }),
            "the image layout " + t.dir.path().string() + " has no tag \"v2\"");
}

TEST(Layout, DigestsAreCheckedBeforeTheyNameAFile) {
  TestLayout t("v1");
  Layout layout(t.dir.path());
  EXPECT_NE(error_of([&] {
              layout.blob("sha256:../../../etc/passwd", 1000);
            }).find("is not sha256:<64 hex digits>"),
            std::string::npos);
  EXPECT_NE(error_of([&] { layout.blob("md5:abc", 1000); }).find("is not sha256"),
            std::string::npos);
  // A blob whose bytes changed is refused.
  std::ofstream(t.dir.path() / "blobs/sha256" / t.manifest_digest.substr(7)) << "tampered";
  EXPECT_NE(error_of([&] { layout.image("v1", amd64); }).find("does not match its digest"),
            std::string::npos);
  EXPECT_TRUE(is_sha256_digest(t.manifest_digest));
  EXPECT_FALSE(is_sha256_digest("sha256:" + std::string(64, 'A')));
}

TEST(ImageStore, NamesFollowTheLastPullOfATag) {
  TempDir dir("nexcage-store");
  ImageStore store(dir.path() / "images");
  EXPECT_FALSE(store.exists());
  EXPECT_FALSE(store.lock(nexcage::fs::FileLock::Mode::shared));  // nothing to read yet
  auto held = store.lock(nexcage::fs::FileLock::Mode::exclusive);
  ASSERT_TRUE(held && held->held());
  EXPECT_TRUE(store.exists());  // an empty layout
  EXPECT_TRUE(store.images().empty());
  std::string a = "sha256:" + std::string(64, 'a'), b = "sha256:" + std::string(64, 'b');
  store.name(a, "r/x:1");
  store.name(a, "r/x@" + a);
  EXPECT_EQ(store.digest_named("r/x:1"), a);
  store.name(b, "r/x:1");  // the tag moved
  EXPECT_EQ(store.digest_named("r/x:1"), b);
  EXPECT_EQ(store.digest_named("r/x@" + a), a);
  EXPECT_EQ(store.digest_named("r/y:1"), "");
  // A damaged names.json is refused naming the file and the fix.
  std::ofstream(dir.path() / "images/names.json") << R"({"nope":{}})";
  EXPECT_EQ(error_of([&] { store.digest_named("r/x:1"); }),
            (dir.path() / "images/names.json").string() + ": \"nope\" is not a sha256 digest");
}
