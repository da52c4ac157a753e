#include <string>

#include <gtest/gtest.h>

#include "nexcage/core/error.hpp"
#include "nexcage/fs/json_file.hpp"

using namespace nexcage::fs;

namespace {
std::string error_of(std::string_view text) {
  try {
    parse_json_document(text, "config.json");
  } catch (const nexcage::Error& e) {
    return e.what();
  }
  return "(accepted)";
}
}  // namespace

TEST(JsonDocument, RefusesDeepNestingWithoutRecursing) {
  std::string deep(1000000, '[');
  EXPECT_EQ(error_of(deep), "config.json: nested deeper than 64 levels at byte 64");
  std::string ok = std::string(64, '[') + std::string(64, ']');
  EXPECT_EQ(error_of(ok), "(accepted)");
  // Brackets inside strings do not count.
  EXPECT_EQ(error_of("{\"a\":\"" + std::string(1000, '[') + "\"}"), "(accepted)");
}

TEST(JsonDocument, RefusesHugeDocuments) {
  std::string huge(max_json_bytes + 1, ' ');
  EXPECT_EQ(error_of(huge), "config.json: document is larger than 16777216 bytes");
}

TEST(JsonDocument, RefusesInvalidUtf8AndSyntaxErrorsWithAnOffset) {
  auto bad_utf8 = error_of("{\"a\":\"\xff\xfe\"}");
  EXPECT_EQ(bad_utf8.rfind("config.json: invalid JSON at byte ", 0), 0u) << bad_utf8;
  EXPECT_NE(bad_utf8.find("UTF-8"), std::string::npos) << bad_utf8;
  EXPECT_EQ(error_of("").rfind("config.json: invalid JSON at byte 1", 0), 0u);
  EXPECT_EQ(error_of("{\"a\":1,}").rfind("config.json: invalid JSON at byte 8", 0), 0u);
}

// Found by the fuzzers (tests/fuzz/crashes/*-json-number-overflow): nlohmann throws out_of_range,
// not parse_error, for a number beyond a double, and it escaped as a plain std::exception.
TEST(JsonDocument, NumberBeyondADoubleIsAnInvalidInputError) {
  EXPECT_EQ(error_of("1e400"), "config.json: invalid JSON: number overflow parsing '1e400'");
  EXPECT_EQ(error_of("{\"memory\": -1e999}").rfind("config.json: invalid JSON: number overflow", 0),
            0u);
}

TEST(JsonDocument, ReadsOnlyRegularFiles) {
  EXPECT_THROW(read_json_file("/dev/zero", "x"), nexcage::Error);
  EXPECT_THROW(read_json_file("/nonexistent/config.json", "x"), nexcage::Error);
}

TEST(JsonDocument, AMissingFileIsNamedOnce) {
  auto missing = [](const std::string& file, const std::string& what) {
    try {
      read_json_file(file, what);
    } catch (const nexcage::Error& e) {
      return std::string(e.what());
    }
    return std::string("(accepted)");
  };
  EXPECT_EQ(missing("/x.json", "/x.json"), "/x.json does not exist");
  EXPECT_EQ(missing("/run/x.json", "x.json"), "x.json: /run/x.json does not exist");
}
