#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "nexcage/core/error.hpp"
#include "nexcage/oci/bundle.hpp"

using namespace nexcage::oci;

TEST(Bundle, LoadsFixtureAndResolvesRootfs) {
  char tmpl[] = "/tmp/nexcage-bundle-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  std::filesystem::path dir = tmpl;
  std::filesystem::create_directories(dir / "rootfs");
  std::ofstream(dir / "config.json") << R"({"ociVersion":"1.0.2","root":{"path":"rootfs"},
      "process":{"args":["sh"],"cwd":"/"},"annotations":{"k":"v"}})";
  auto bundle = load_bundle(dir);
  EXPECT_EQ(bundle.rootfs, dir / "rootfs");
  EXPECT_EQ(bundle.spec.annotations.at("k"), "v");
  EXPECT_EQ(bundle.spec.raw["ociVersion"], "1.0.2");

  std::ofstream(dir / "config.json", std::ios::trunc)
      << R"({"ociVersion":"1.0.2","root":{"path":"rootfs"},
      "process":{"args":[],"cwd":"rel"}})";
  try {
    load_bundle(dir);
    FAIL();
  } catch (const nexcage::Error& e) {
    EXPECT_EQ(std::string(e.what()),
              "invalid " + (dir / "config.json").string() +
                  ": 2 problems\n  process.args: must name the program to run (an "
                  "empty list cannot be executed)\n  process.cwd: must be an absolute "
                  "path, got \"rel\"");
  }
  std::filesystem::remove(dir / "config.json");
  try {
    load_bundle(dir);
    FAIL();
  } catch (const nexcage::Error& e) {
    EXPECT_EQ(std::string(e.what()), "config.json not found in bundle " + dir.string());
  }
  std::filesystem::remove_all(dir);
}
