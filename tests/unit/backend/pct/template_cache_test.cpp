// Template users are counted host-wide (backends.pct.host_dir), keyed by state root and id: the
// template file is in Proxmox's storage, shared by every state root on the host.
#include <fstream>

#include <gtest/gtest.h>

#include "../../lifecycle/fake_runner.hpp"
#include "../../temp_dir.hpp"
#include "nexcage/backend/pct/template_cache.hpp"
#include "nexcage/backend/pct/tree_digest.hpp"

using namespace nexcage;
using namespace nexcage::backend::pct;
namespace fsys = std::filesystem;

namespace {

class PctTemplateUsers : public ::testing::Test {
 protected:
  void SetUp() override {
    fsys::create_directories(tmp_.path() / "rootfs/bin");
    std::ofstream(tmp_.path() / "rootfs/bin/app") << "#!/bin/sh\n";
    fsys::create_directories(tmp_.path() / "cache");
    files_.template_dir = (tmp_.path() / "cache").string();
    // The template exists already, so acquire() reuses it and runs nothing.
    template_ = cache().template_file(digest_tree(tmp_.path() / "rootfs").hex);
    std::ofstream(template_) << "tar";
  }

  TemplateCache cache() {
    return TemplateCache(files_, ToolPaths{}, runner_, tmp_.path() / "host");
  }
  TemplateUse acquire(const std::string& root, const std::string& id) {
    return cache().acquire({root + "/.backends/pct", id}, tmp_.path() / "rootfs", false);
  }
  void release(const std::string& root, const std::string& id) {
    cache().release({root + "/.backends/pct", id});
  }

  testing_support::TempDir tmp_{"nexcage-pct-tpl"};
  PveFiles files_;
  fakes::FakeRunner runner_;
  fsys::path template_;
};

}  // namespace

TEST_F(PctTemplateUsers, KeptWhileAnotherRootUsesIt) {
  auto use = acquire("/run/a", "web");
  EXPECT_FALSE(use.packed);
  EXPECT_EQ(use.volid, "local:vztmpl/" + template_.filename().string());
  acquire("/run/b", "db");
  release("/run/a", "web");
  EXPECT_TRUE(fsys::exists(template_)) << "root b still uses it";
  release("/run/b", "db");
  EXPECT_FALSE(fsys::exists(template_)) << "the last user is gone";
  EXPECT_TRUE(runner_.commands.empty());
}

TEST_F(PctTemplateUsers, SameIdInTwoRootsAreTwoUsers) {
  acquire("/run/a", "web");
  acquire("/run/b", "web");
  release("/run/a", "web");
  EXPECT_TRUE(fsys::exists(template_)) << "root b's web still uses it";
  release("/run/a", "web");  // twice: still b's
  EXPECT_TRUE(fsys::exists(template_));
  release("/run/b", "web");
  EXPECT_FALSE(fsys::exists(template_));
}

TEST_F(PctTemplateUsers, UsersLiveInTheHostDirAndNameTheirRoot) {
  acquire("/run/a", "web");
  auto digest = template_.stem().string().substr(std::string("nexcage-").size());
  auto user = tmp_.path() / "host/templates" / digest / file_key({"/run/a/.backends/pct", "web"});
  ASSERT_TRUE(fsys::exists(user));
  std::ifstream in(user);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, "{\"id\":\"web\",\"root\":\"/run/a/.backends/pct\"}\n");
  EXPECT_NE(file_key({"/run/a/.backends/pct", "web"}), file_key({"/run/b/.backends/pct", "web"}));
  EXPECT_TRUE(fsys::exists(tmp_.path() / "host/templates.lock"));
}
