#pragma once
#include <ctime>
#include <string>

namespace nexcage {

// RFC 3339 in UTC with nanoseconds, as runc writes `created`: 2026-11-22T08:10:53.575759158Z.
std::string rfc3339_nano(const timespec& ts);
// RFC 3339 in UTC with whole seconds, as runc writes log times: 2026-11-22T08:10:53Z.
std::string rfc3339_seconds(const timespec& ts);
timespec now_realtime();

}  // namespace nexcage
