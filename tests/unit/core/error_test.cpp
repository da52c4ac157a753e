#include "nexcage/core/error.hpp"

#include <filesystem>
#include <new>
#include <stdexcept>
#include <system_error>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using nexcage::Error;
using nexcage::ErrorKind;
using nexcage::to_error;

namespace {

template <typename F>
Error caught(F throwing) {
  try {
    throwing();
  } catch (...) {
    return to_error(std::current_exception(), "create c1");
  }
  return Error(ErrorKind::usage, "nothing was thrown");
}

}  // namespace

// runc's convention (docs/cli.md, "Exit codes"): every failure exits 1.
TEST(ErrorModel, EveryKindExitsAsRuncDoes) {
  for (auto kind :
       {ErrorKind::usage, ErrorKind::invalid_input, ErrorKind::not_found, ErrorKind::exists,
        ErrorKind::wrong_state, ErrorKind::backend, ErrorKind::system, ErrorKind::internal})
    EXPECT_EQ(nexcage::exit_code_for(kind), 1);
}

TEST(ErrorModel, AnErrorPassesUnchangedWithItsHintAndTheBackendsWords) {
  auto e = caught([] {
    Error error(ErrorKind::wrong_state, nexcage::msg::not_running, "start it first");
    error.said_by_backend({"runc: container not running\n", false, true});
    throw error;
  });
  EXPECT_STREQ(e.what(), "container not running");
  EXPECT_EQ(e.kind(), ErrorKind::wrong_state);
  EXPECT_EQ(e.hint(), "start it first");
  ASSERT_NE(e.backend_words(), nullptr);
  EXPECT_TRUE(e.backend_words()->in_callers_log);
}

TEST(ErrorModel, ALibrarysExceptionSaysWhatFailedAndWhy) {
  auto json = caught([] { (void)nlohmann::json(5).get<std::string>(); });
  EXPECT_EQ(json.kind(), ErrorKind::internal);
  EXPECT_STREQ(json.what(), "create c1: type must be string, but is number");

  auto file = caught([] {
    throw std::filesystem::filesystem_error("status", "/srv/b",
                                            std::make_error_code(std::errc::permission_denied));
  });
  EXPECT_EQ(file.kind(), ErrorKind::system);
  EXPECT_STREQ(file.what(), "create c1: /srv/b: Permission denied");

  auto call = caught([] {
    throw std::system_error(std::make_error_code(std::errc::resource_unavailable_try_again));
  });
  EXPECT_EQ(call.kind(), ErrorKind::system);
  EXPECT_STREQ(call.what(), "create c1: Resource temporarily unavailable");

  EXPECT_STREQ(caught([] { throw std::bad_alloc(); }).what(), "create c1: out of memory");
  EXPECT_STREQ(caught([] { throw std::out_of_range("map::at"); }).what(), "create c1: map::at");
  EXPECT_STREQ(caught([] { throw 42; }).what(), "create c1: unexpected failure");
}

TEST(ErrorModel, AJsonTagIsRemovedOnlyWhereThereIsOne) {
  EXPECT_EQ(nexcage::without_json_tag("[json.exception.parse_error.101] parse error at line 1"),
            "parse error at line 1");
  EXPECT_EQ(nexcage::without_json_tag("[x] y"), "[x] y");
}
