#pragma once
// Timing log: each build step records how long it took, for the summary line and /metrics.
#include <chrono>
#include <string>
#include <vector>

namespace clemency {

class StepTimer {
 public:
  struct Step {
    std::string name;
    double milliseconds;
  };
  StepTimer() : start_(Clock::now()), step_start_(start_) {}
  // Ends the current step under `name` and starts the next one.
  void Mark(const std::string& name);
  double TotalMilliseconds() const;
  const std::vector<Step>& steps() const { return steps_; }
  std::string ToString() const;  // "load 12.3 ms, render 40.1 ms, ..."

 private:
  using Clock = std::chrono::steady_clock;
  Clock::time_point start_, step_start_;
  std::vector<Step> steps_;
};

}  // namespace clemency
