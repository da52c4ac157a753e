// Golden tests of the OCI -> pct translation over tests/data/bundles/pct/<case>/:
//   config.json    the bundle's config (required)
//   settings.json  the pct backend options (optional; defaults otherwise)
//   host.json      what the driver would find on the host (optional): bind sources and devices,
//                  {"paths": {"<source>": {"kind": "directory|file|other", "resolved": "/abs"}},
//                   "devices": {"<path>": {"kind": "char|block|other", "major": M, "minor": m}}}
//                  (a source or device without an entry is missing)
//   expected.txt   the rendered outcome (see render() below)
// Any difference fails. NEXCAGE_UPDATE_GOLDEN=1 rewrites expected.txt instead; review the diff.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "nexcage/backend/pct/translate.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/fs/json_file.hpp"
#include "nexcage/oci/bundle.hpp"

namespace fs = std::filesystem;
using namespace nexcage::backend::pct;

namespace {

const fs::path corpus = fs::path(NEXCAGE_SOURCE_DIR) / "tests/data/bundles/pct";

// One line per element; a newline or backslash inside a value is escaped so it stays one line.
std::string line(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\n')
      out += "\\n";
    else if (c == '\\')
      out += "\\\\";
    else
      out += c;
  }
  return out + "\n";
}

std::string render(const Outcome& o) {
  std::string text;
  if (!o.refused.empty()) {
    text += "# refused\n";
    for (const auto& p : o.refused) text += line(p.path + ": " + p.message);
    return text;
  }
  text += "# pct create options (one argv element per line)\n";
  for (const auto& a : o.translation.argv()) text += line(a);
  text += "# raw lxc lines\n";
  for (const auto& r : o.translation.raw) text += line(r.text());
  text += "# warnings\n";
  for (const auto& w : o.translation.warnings) text += line(w.path + ": " + w.message);
  return text;
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

HostFacts read_facts(const fs::path& file) {
  HostFacts facts;
  if (!fs::exists(file)) return facts;
  auto doc = nexcage::fs::read_json_file(file, file.string());
  const auto paths = doc.value("paths", nlohmann::json::object());
  for (const auto& [source, fact] : paths.items()) {
    HostPath hp;
    auto kind = fact.at("kind").get<std::string>();
    hp.kind = kind == "directory" ? PathKind::directory
              : kind == "file"    ? PathKind::file
              : kind == "other"   ? PathKind::other
                                  : PathKind::missing;
    if (fact.contains("resolved")) hp.resolved = fact.at("resolved").get<std::string>();
    facts.paths[source] = hp;
  }
  if (!doc.contains("devices")) return facts;
  for (const auto& [path, fact] : doc.at("devices").items()) {
    HostDevice hd;
    auto kind = fact.at("kind").get<std::string>();
    hd.kind = kind == "char"    ? DeviceKind::char_device
              : kind == "block" ? DeviceKind::block_device
              : kind == "other" ? DeviceKind::other
                                : DeviceKind::missing;
    hd.major = fact.value("major", 0u);
    hd.minor = fact.value("minor", 0u);
    facts.devices[path] = hd;
  }
  return facts;
}

std::vector<std::string> cases() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(corpus))
    if (entry.is_directory()) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

class Golden : public ::testing::TestWithParam<std::string> {};

TEST_P(Golden, MatchesExpected) {
  auto dir = corpus / GetParam();
  std::vector<nexcage::oci::Problem> problems;
  auto spec = nexcage::oci::spec_from_json(
      nexcage::fs::read_json_file(dir / "config.json", "config.json"), problems);
  ASSERT_TRUE(problems.empty()) << nexcage::oci::describe_problems("config.json", problems);
  PctSettings settings;
  if (fs::exists(dir / "settings.json"))
    settings =
        settings_from_json(nexcage::fs::read_json_file(dir / "settings.json", "settings.json"));
  auto actual = render(examine(spec, settings, read_facts(dir / "host.json")));

  auto expected_file = dir / "expected.txt";
  const char* update = std::getenv("NEXCAGE_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    std::ofstream(expected_file, std::ios::binary) << actual;
    return;
  }
  ASSERT_TRUE(fs::exists(expected_file))
      << expected_file << " is missing; run with NEXCAGE_UPDATE_GOLDEN=1";
  EXPECT_EQ(read_file(expected_file), actual)
      << "translation of " << dir
      << " changed; if intended, regenerate with NEXCAGE_UPDATE_GOLDEN=1 and review the diff";
}

// translate() must agree with examine(): throw exactly when something is refused.
TEST_P(Golden, TranslateThrowsIffRefused) {
  auto dir = corpus / GetParam();
  std::vector<nexcage::oci::Problem> problems;
  auto spec = nexcage::oci::spec_from_json(
      nexcage::fs::read_json_file(dir / "config.json", "config.json"), problems);
  PctSettings settings;
  if (fs::exists(dir / "settings.json"))
    settings =
        settings_from_json(nexcage::fs::read_json_file(dir / "settings.json", "settings.json"));
  auto facts = read_facts(dir / "host.json");
  auto outcome = examine(spec, settings, facts);
  if (outcome.refused.empty()) {
    EXPECT_EQ(translate(spec, settings, facts).argv(), outcome.translation.argv());
  } else {
    try {
      translate(spec, settings, facts);
      FAIL() << "translate did not throw";
    } catch (const nexcage::Error& e) {
      std::string msg = e.what();
      EXPECT_EQ(msg.rfind("config.json cannot be run by the pct backend: ", 0), 0u) << msg;
      for (const auto& p : outcome.refused)
        EXPECT_NE(msg.find(p.path + ": " + p.message), std::string::npos);
    }
  }
}

// The realistic part of the corpus must be valid OCI, so the goldens show what real bundles
// become; only the hostile cases may break the spec. root.path points at the generating host.
class Realistic : public ::testing::TestWithParam<std::string> {};

TEST_P(Realistic, IsValidOci) {
  auto dir = corpus / GetParam();
  std::vector<nexcage::oci::Problem> problems;
  auto spec = nexcage::oci::spec_from_json(
      nexcage::fs::read_json_file(dir / "config.json", "config.json"), problems);
  for (const auto& p : nexcage::oci::validate_spec(spec, dir))
    if (p.path != "root.path") problems.push_back(p);
  EXPECT_TRUE(problems.empty()) << nexcage::oci::describe_problems(GetParam(), problems);
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  for (auto& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return name;
}

std::vector<std::string> realistic_cases() {
  auto all = cases();
  all.erase(std::remove_if(all.begin(), all.end(),
                           [](const std::string& n) { return n.rfind("hostile-", 0) == 0; }),
            all.end());
  return all;
}

INSTANTIATE_TEST_SUITE_P(PctCorpus, Golden, ::testing::ValuesIn(cases()), test_name);
INSTANTIATE_TEST_SUITE_P(PctCorpus, Realistic, ::testing::ValuesIn(realistic_cases()), test_name);

}  // namespace
