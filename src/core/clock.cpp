#include "nexcage/core/clock.hpp"

#include <fmt/format.h>

namespace nexcage {

namespace {
std::string date_time(const timespec& ts) {
  std::tm tm{};
  gmtime_r(&ts.tv_sec, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}
}  // namespace

std::string rfc3339_nano(const timespec& ts) {
  return fmt::format("{}.{:09}Z", date_time(ts), ts.tv_nsec);
}

std::string rfc3339_seconds(const timespec& ts) {
  return date_time(ts) + "Z";
}

timespec now_realtime() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return ts;
}

}  // namespace nexcage
