#pragma once
// Dates from front matter: `2026-11-20` or RFC 3339 with an offset. Kept as an instant plus the
// offset it was written in, so feeds print honest times with time zones.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace clemency {

struct DateTime {
  int64_t unix_seconds = 0;
  int offset_minutes = 0;  // the writer's UTC offset, e.g. +420 for Asia/Ho_Chi_Minh
  bool has_time = false;   // false when only a date was given

  std::string ToRfc3339() const;     // 2026-11-20T00:00:00+07:00
  std::string ToRfc822() const;      // Fri, 20 Nov 2026 00:00:00 +0700 (RSS)
  std::string ToDateString() const;  // 2026-11-20, in the writer's offset
  double ToUnixMillis() const { return static_cast<double>(unix_seconds) * 1000.0; }
  auto operator<=>(const DateTime& other) const { return unix_seconds <=> other.unix_seconds; }
  bool operator==(const DateTime& other) const { return unix_seconds == other.unix_seconds; }
};

// Parses `YYYY-MM-DD` (midnight at `default_offset_minutes`) or
// `YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM]`. Returns nullopt on anything else, including 2026-02-30.
std::optional<DateTime> ParseDateTime(std::string_view text, int default_offset_minutes);

// The current time at the given offset.
DateTime Now(int offset_minutes);

}  // namespace clemency
