#include "nexcage/core/log.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../temp_dir.hpp"
#include "nexcage/core/clock.hpp"
#include "nexcage/core/container_id.hpp"

#include <fcntl.h>

#include <fstream>
#include <iterator>

using namespace nexcage;

TEST(LogFormat, JsonLineIsWhatContainerdDecodes) {
  auto line = log::format_line(log::Format::json, "error", "container \"x\" does not exist",
                               "2026-11-22T08:01:49Z");
  EXPECT_EQ(
      line,
      R"({"level":"error","msg":"container \"x\" does not exist","time":"2026-11-22T08:01:49Z"})");
  auto doc = nlohmann::json::parse(line);
  EXPECT_EQ(doc["msg"], "container \"x\" does not exist");
}

TEST(LogFormat, TextLineIsLogrusStyle) {
  EXPECT_EQ(log::format_line(log::Format::text, "error", "boom", "2026-11-22T08:01:49Z"),
            R"(time="2026-11-22T08:01:49Z" level=error msg="boom")");
}

TEST(LogFormat, InvalidUtf8NeverThrows) {
  auto line = log::format_line(log::Format::json, "error", std::string("bad \xff byte"), "t");
  EXPECT_TRUE(nlohmann::json::accept(line));
}

TEST(Clock, Rfc3339Formats) {
  timespec ts{1795334453, 575759158};
  EXPECT_EQ(rfc3339_nano(ts), "2026-11-22T08:00:53.575759158Z");
  EXPECT_EQ(rfc3339_seconds(ts), "2026-11-22T08:00:53Z");
  timespec small{0, 5};
  EXPECT_EQ(rfc3339_nano(small), "1970-01-01T00:00:00.000000005Z");
}

TEST(ContainerId, RuncAndCrunRules) {
  for (const char* ok : {"a", "c1", "A-b_c.d+e", "0123456789abcdef"})
    EXPECT_TRUE(is_valid_container_id(ok)) << ok;
  for (const char* bad : {"", ".", "..", ".a", "a/b", "a b", "a:b", "ä", "a\n"})
    EXPECT_FALSE(is_valid_container_id(bad)) << bad;
  EXPECT_TRUE(is_valid_container_id(std::string(255, 'a')));
  EXPECT_FALSE(is_valid_container_id(std::string(256, 'a')));
}

namespace {
std::string slurp(const std::filesystem::path& file) {
  std::ifstream in(file);
  return std::string(std::istreambuf_iterator<char>(in), {});
}
}  // namespace

TEST(LogRelay, JsonLogGetsTheBackendsLineByteForByte) {
  nexcage::testing_support::TempDir dir("relay");
  auto file = dir.path() / "log.json";
  log::init({file.string(), log::Format::json, log::Level::warning, false});
  const std::string crun_line =
      R"({"msg":"cannot open directory","level":"error","time":"2026-11-22T15:42:40.565947Z"})";
  const std::string warning =
      R"({"level":"warning","msg":"cgroup not empty","time":"2026-11-22T15:42:40Z"})";
  EXPECT_TRUE(log::relay(log::parse_backend_line(warning), true));
  EXPECT_TRUE(log::relay(log::parse_backend_line(crun_line), false));
  EXPECT_FALSE(log::relay(log::parse_backend_line(R"({"level":"debug","msg":"noise"})"), true))
      << "debug lines need --debug";
  EXPECT_FALSE(log::relay(log::parse_backend_line("not json"), true));
  log::init({});
  EXPECT_EQ(slurp(file), warning + "\n" + crun_line + "\n");
}

TEST(LogRelay, TextLogGetsLogrusTextWithTheBackendsFields) {
  nexcage::testing_support::TempDir dir("relay");
  auto file = dir.path() / "log.txt";
  log::init({file.string(), log::Format::text, log::Level::warning, false});
  EXPECT_TRUE(log::relay(
      log::parse_backend_line(
          R"({"error":"rmdir /x: busy","level":"error","msg":"Failed to remove cgroup","time":"2026-11-22T15:42:40Z"})"),
      true));
  log::init({});
  EXPECT_EQ(slurp(file),
            "time=\"2026-11-22T15:42:40Z\" level=error msg=\"Failed to remove cgroup\" "
            "error=\"rmdir /x: busy\"\n");
}

namespace {

// A command's record as the CLI leaves it: the facts noted, then finish().
operation::Record record_of(const std::string& op, const std::string& id,
                            const std::string& backend) {
  operation::begin();
  operation::note_op(op);
  if (!id.empty()) operation::note_id(id);
  if (!backend.empty()) operation::note_backend(backend);
  return operation::current();
}

std::vector<nlohmann::json> json_lines(const std::filesystem::path& file) {
  std::vector<nlohmann::json> out;
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) out.push_back(nlohmann::json::parse(line));
  return out;
}

}  // namespace

TEST(OperationRecord, AFailureIsTheOneErrorLineWithTheOperationsFields) {
  nexcage::testing_support::TempDir dir("record");
  auto file = dir.path() / "log.json";
  log::init({file.string(), log::Format::json, log::Level::warning, false});
  auto record = record_of("start", "web1", "crun");
  operation::Outcome outcome;
  outcome.ok = false;
  outcome.error_kind = "wrong_state";
  outcome.error_message = "cannot start an already running container";
  outcome.exit_status = 1;
  log::operation_record(record, outcome);
  // A success at the caller's default level (warning) leaves nothing: runc writes nothing either.
  log::operation_record(record, operation::Outcome{});
  log::init({});
  auto lines = json_lines(file);
  ASSERT_EQ(lines.size(), 1u);
  const auto& line = lines[0];
  EXPECT_EQ(line["level"], "error");
  EXPECT_EQ(line["msg"], "cannot start an already running container");
  EXPECT_TRUE(line["time"].is_string());
  EXPECT_EQ(line["op"], "start");
  EXPECT_EQ(line["id"], "web1");
  EXPECT_EQ(line["backend"], "crun");
  EXPECT_EQ(line["result"], "wrong_state");
  EXPECT_EQ(line["exit_status"], 1);
  EXPECT_TRUE(line["duration_ms"].is_number());
  EXPECT_FALSE(line.contains("vmid"));
  EXPECT_FALSE(line.contains("steps")) << "steps are debug detail";
}

TEST(OperationRecord, InfoLevelAddsOneLinePerSuccessWithItsVmid) {
  nexcage::testing_support::TempDir dir("record");
  auto file = dir.path() / "log.json";
  log::init({file.string(), log::Format::json, log::Level::info, false});
  auto record = record_of("create", "app1", "pct");
  record.vmid = 104;
  operation::Outcome ok;
  ok.exit_status = 0;
  log::operation_record(record, ok);
  // The backend's own error line is in the log already: the record is not a second error line.
  operation::Outcome failed;
  failed.ok = false;
  failed.error_kind = "backend";
  failed.error_message = "runc create failed";
  failed.error_logged_by_backend = true;
  log::operation_record(record, failed);
  log::init({});
  auto lines = json_lines(file);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0]["level"], "info");
  EXPECT_EQ(lines[0]["msg"], "create ok");
  EXPECT_EQ(lines[0]["vmid"], 104);
  EXPECT_EQ(lines[0]["result"], "ok");
  EXPECT_EQ(lines[1]["level"], "info");
  EXPECT_EQ(lines[1]["result"], "backend");
  EXPECT_FALSE(lines[1].contains("exit_status"));
}

TEST(OperationRecord, TextRecordHasLogrusFieldsAndDebugAddsSteps) {
  nexcage::testing_support::TempDir dir("record");
  auto file = dir.path() / "log.txt";
  log::init({file.string(), log::Format::text, log::Level::debug, false});
  record_of("delete", "my box", "runc");
  { operation::Step step("backend"); }
  operation::Outcome ok;
  ok.exit_status = 0;
  log::operation_record(operation::current(), ok);
  log::init({});
  auto text = slurp(file);
  EXPECT_NE(text.find("level=debug msg=\"step backend took "), std::string::npos) << text;
  auto last = text.substr(text.rfind("time="));
  EXPECT_NE(last.find("level=info msg=\"delete ok\" op=delete id=\"my box\" backend=runc "
                      "duration_ms="),
            std::string::npos)
      << last;
  EXPECT_NE(last.find(" result=ok exit_status=0 steps=\"backend="), std::string::npos) << last;
}

TEST(OperationRecord, FinishHandsTheRecordOverOnce) {
  int calls = 0;
  operation::begin();
  operation::note_op("exec");
  operation::set_finisher([&](const operation::Record& r, const operation::Outcome& o) {
    ++calls;
    EXPECT_EQ(r.op, "exec");
    EXPECT_FALSE(o.exit_status.has_value());
  });
  operation::finish(operation::Outcome{});  // Runner::replace, before execve
  operation::finish(operation::Outcome{});  // the CLI, had execve failed
  EXPECT_EQ(calls, 1);
  operation::begin();  // drops the finisher
  operation::finish(operation::Outcome{});
  EXPECT_EQ(calls, 1);
}

TEST(LogLevel, NamesRoundTripAndWarnIsAccepted) {
  for (auto level : {log::Level::error, log::Level::warning, log::Level::info, log::Level::debug})
    EXPECT_EQ(log::parse_level(log::to_string(level)), level);
  EXPECT_EQ(log::parse_level("warn"), log::Level::warning);
  EXPECT_FALSE(log::parse_level("trace"));
  EXPECT_FALSE(log::parse_level(""));
}

namespace {

// The open flags of this process's descriptor on `file`, from /proc/self/fdinfo.
long open_flags_of(const std::filesystem::path& file) {
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    std::error_code ec;
    if (std::filesystem::read_symlink(entry.path(), ec) != file) continue;
    std::ifstream info("/proc/self/fdinfo/" + entry.path().filename().string());
    for (std::string line; std::getline(info, line);)
      if (line.rfind("flags:", 0) == 0) return std::stol(line.substr(6), nullptr, 8);
  }
  return -1;
}

}  // namespace

// runc opens the --log its callers give it O_SYNC; an admin's own log is not flushed per line.
TEST(LogFile, SyncedOnlyWhenAsked) {
  nexcage::testing_support::TempDir dir("logsync");
  auto file = dir.path() / "log.json";
  log::init({file.string(), log::Format::json, log::Level::info, false, true});
  long synced = open_flags_of(file);
  log::init({file.string(), log::Format::json, log::Level::info, false, false});
  long unsynced = open_flags_of(file);
  log::init({});
  ASSERT_GE(synced, 0);
  ASSERT_GE(unsynced, 0);
  EXPECT_EQ(synced & O_SYNC, O_SYNC);
  EXPECT_EQ(unsynced & O_SYNC, 0);
}
