#include "nexcage/backend/pct/admin_form.hpp"

#include <gtest/gtest.h>

#include "nexcage/backend/registry.hpp"
#include "nexcage/core/error.hpp"

using nexcage::backend::AdminKnobs;
using nexcage::backend::pct::AdminForm;
using json = nlohmann::json;

namespace {
const json proxmox_map = json::array({{{"containerID", 0}, {"hostID", 100000}, {"size", 65536}}});
}

TEST(PctAdminForm, OnlyPctHasOne) {
  EXPECT_NE(nexcage::backend::admin_form("pct"), nullptr);
  EXPECT_EQ(nexcage::backend::admin_form("runc"), nullptr);
}

TEST(PctAdminForm, TemplatesAreVolidsAndMalformedOnesAreRefused) {
  AdminForm form;
  EXPECT_TRUE(form.is_template("local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst"));
  EXPECT_FALSE(form.is_template("/srv/images/web"));
  EXPECT_FALSE(form.is_template("/srv/layout:latest"));
  EXPECT_THROW(form.is_template("local:vztmpl/../../etc/passwd"), nexcage::Error);
  EXPECT_THROW(form.is_template("local:vztmpl/" + std::string(5000, 'a') + ".tar"), nexcage::Error);
}

TEST(PctAdminForm, AnImageBecomesAnUnprivilegedProxmoxContainer) {
  AdminForm form;
  json doc = {{"process", {{"args", {"/bin/sh"}}, {"noNewPrivileges", true}}}};
  form.apply(doc, {"local-lvm", "bridge=vmbr0,ip=dhcp", 8u, true});
  EXPECT_EQ(doc["linux"]["namespaces"], json::array({{{"type", "user"}}}));
  EXPECT_EQ(doc["linux"]["uidMappings"], proxmox_map);
  EXPECT_EQ(doc["linux"]["gidMappings"], proxmox_map);
  EXPECT_EQ(doc["process"]["noNewPrivileges"], false);
  EXPECT_EQ(doc["annotations"], (json{{"org.nexcage.pct.storage", "local-lvm"},
                                      {"org.nexcage.pct.net", "bridge=vmbr0,ip=dhcp"},
                                      {"org.nexcage.pct.disk", "8"},
                                      {"org.nexcage.pct.onboot", "1"}}));
}

TEST(PctAdminForm, ABundlesOwnUserNamespaceAndAnnotationsAreKept) {
  AdminForm form;
  json own_map = json::array({{{"containerID", 0}, {"hostID", 200000}, {"size", 1000}}});
  json doc = {{"linux",
               {{"namespaces", {{{"type", "user"}}, {{"type", "pid"}}}}, {"uidMappings", own_map}}},
              {"annotations", {{"k", "v"}}}};
  form.apply(doc, AdminKnobs{});
  EXPECT_EQ(doc["linux"]["uidMappings"], own_map);
  EXPECT_FALSE(doc["linux"].contains("gidMappings"));
  EXPECT_EQ(doc["linux"]["namespaces"].size(), 2u);
  EXPECT_EQ(doc["annotations"], (json{{"k", "v"}}));
  EXPECT_FALSE(doc.contains("process")) << "no process is invented";
}

TEST(PctAdminForm, ATemplatesContainerRunsItsInitWithProxmoxsCapabilities) {
  auto spec = AdminForm().template_spec("local:vztmpl/debian.tar.zst");
  EXPECT_EQ(spec["process"]["args"], json::array({"/sbin/init"}));
  EXPECT_EQ(spec["root"]["readonly"], false);
  EXPECT_EQ(spec["annotations"]["org.nexcage.pct.template"], "local:vztmpl/debian.tar.zst");
  EXPECT_FALSE(spec["process"].contains("rlimits"));
  EXPECT_FALSE(spec["linux"].contains("maskedPaths"));
  const auto& bounding = spec["process"]["capabilities"]["bounding"];
  auto has = [&](const char* cap) {
    return std::find(bounding.begin(), bounding.end(), cap) != bounding.end();
  };
  EXPECT_TRUE(has("CAP_SYS_ADMIN"));
  EXPECT_TRUE(has("CAP_NET_ADMIN"));
  EXPECT_FALSE(has("CAP_SYS_MODULE"));
  EXPECT_FALSE(has("CAP_SYS_TIME"));
  EXPECT_FALSE(spec["process"]["capabilities"].contains("ambient"));
}
