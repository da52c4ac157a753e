// org.opencontainers.image.stopSignal -> lxc.signal.halt, in a form LXC's sig_parse reads.
#include <gtest/gtest.h>

#include "nexcage/backend/pct/translate.hpp"

using namespace nexcage::backend::pct;
using nlohmann::json;

namespace {

Outcome run(const json& annotations) {
  json doc = json::parse(R"({
    "ociVersion": "1.0.2",
    "root": {"path": "rootfs"},
    "process": {"args": ["/bin/app"], "cwd": "/"},
    "linux": {"namespaces": [{"type": "pid"}, {"type": "network"}, {"type": "ipc"}, {"type": "uts"}, {"type": "mount"}]}
  })");
  if (!annotations.is_null()) doc["annotations"] = annotations;
  std::vector<nexcage::oci::Problem> problems;
  auto spec = nexcage::oci::spec_from_json(doc, problems);
  EXPECT_TRUE(problems.empty()) << nexcage::oci::describe_problems("doc", problems);
  return examine(spec, {}, {});
}

std::vector<std::string> halt(const Outcome& o) {
  std::vector<std::string> out;
  for (const auto& r : o.translation.raw)
    if (r.key == "lxc.signal.halt") out.push_back(r.value);
  return out;
}

std::vector<std::string> halt_for(const std::string& value) {
  auto o = run({{"org.opencontainers.image.stopSignal", value}});
  EXPECT_TRUE(o.refused.empty()) << value << ": "
                                 << (o.refused.empty() ? "" : o.refused[0].message);
  return halt(o);
}

using V = std::vector<std::string>;

}  // namespace

// Without the annotation LXC would send SIGPWR, which an application as pid 1 ignores.
TEST(PctStopSignal, DefaultIsSigterm) {
  EXPECT_EQ(halt(run(nullptr)), V{"SIGTERM"});
}

TEST(PctStopSignal, NamesWithOrWithoutSigInAnyCase) {
  EXPECT_EQ(halt_for("SIGTERM"), V{"SIGTERM"});
  EXPECT_EQ(halt_for("TERM"), V{"SIGTERM"});
  EXPECT_EQ(halt_for("sigquit"), V{"SIGQUIT"});
  EXPECT_EQ(halt_for("SIGWINCH"), V{"SIGWINCH"});
  EXPECT_EQ(halt_for("SIGIOT"), V{"SIGABRT"});  // aliases become the canonical name
}

TEST(PctStopSignal, RealtimeSignals) {
  EXPECT_EQ(halt_for("SIGRTMIN+3"), V{"SIGRTMIN+3"});
  EXPECT_EQ(halt_for("RTMIN+3"), V{"SIGRTMIN+3"});
  EXPECT_EQ(halt_for("SIGRTMAX-2"), V{"SIGRTMAX-2"});
  // LXC's parser needs the offset: a bare SIGRTMIN would be misread.
  EXPECT_EQ(halt_for("SIGRTMIN"), V{"SIGRTMIN+0"});
  EXPECT_EQ(halt_for("SIGRTMIN+30"), V{"SIGRTMIN+30"});
}

TEST(PctStopSignal, Numbers) {
  EXPECT_EQ(halt_for("15"), V{"SIGTERM"});
  EXPECT_EQ(halt_for("9"), V{"SIGKILL"});
  EXPECT_EQ(halt_for("37"), V{"SIGRTMIN+3"});
  EXPECT_EQ(halt_for("64"), V{"SIGRTMIN+30"});
}

TEST(PctStopSignal, AnythingElseIsRefusedNamingTheAnnotation) {
  for (const char* bad : {" ", "0", "65", "SIGFOO", "SIGRTMIN+31", "SIGRTMIN-1", "SIGRTMAX+1",
                          "-15", "15x", "SIG TERM", "SIGTERM\n"}) {
    auto o = run({{"org.opencontainers.image.stopSignal", bad}});
    ASSERT_EQ(o.refused.size(), 1u) << "accepted \"" << bad << "\"";
    EXPECT_EQ(o.refused[0].path, "annotations.org.opencontainers.image.stopSignal");
    EXPECT_NE(o.refused[0].message.find("is not a signal"), std::string::npos);
  }
}

// umoci unpacks an image without a StopSignal into an empty annotation: the default applies.
TEST(PctStopSignal, EmptyAnnotationMeansTheDefault) {
  EXPECT_EQ(halt(run({{"org.opencontainers.image.stopSignal", ""}})), V{"SIGTERM"});
}

// A template's systemd shuts down on SIGRTMIN+3, which LXC picks itself when nothing is set.
TEST(PctStopSignal, TemplateSystemContainerGetsNoDefault) {
  EXPECT_TRUE(halt(run({{"org.nexcage.pct.template", "local:vztmpl/debian-12.tar.zst"}})).empty());
  EXPECT_EQ(halt(run({{"org.nexcage.pct.template", "local:vztmpl/debian-12.tar.zst"},
                      {"org.opencontainers.image.stopSignal", "SIGRTMIN+3"}})),
            V{"SIGRTMIN+3"});
}
