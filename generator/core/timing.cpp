#include "core/timing.h"

#include <cstdio>

namespace clemency {

void StepTimer::Mark(const std::string& name) {
  auto now = Clock::now();
  steps_.push_back({name, std::chrono::duration<double, std::milli>(now - step_start_).count()});
  step_start_ = now;
}

double StepTimer::TotalMilliseconds() const {
  return std::chrono::duration<double, std::milli>(Clock::now() - start_).count();
}

std::string StepTimer::ToString() const {
  std::string out;
  for (const auto& step : steps_) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "%s%s %.1f ms", out.empty() ? "" : ", ", step.name.c_str(),
                  step.milliseconds);
    out += buf;
  }
  return out;
}

}  // namespace clemency
