// When readings arrive and how much work each carries: periodic sensors staggered over their
// period, a Poisson process, or a Poisson process whose rate varies (a diurnal sine by thinning,
// Lewis and Shedler 1979; or bursts, a two-state Markov-modulated Poisson process). Modulated rates
// keep the group's long-run mean rate, so utilisation figures stay right.
#pragma once

#include "models/scenario.hpp"

#include <random>

namespace leptonsim::models {

class ArrivalProcess {
public:
  ArrivalProcess(const SensorGroup& group, std::mt19937_64& rng);
  // The time of the next reading (non-decreasing), and which sensor takes it.
  double next();
  uint64_t sensor() const { return sensor_; }

private:
  const SensorGroup& group_;
  std::mt19937_64& rng_;
  uint64_t taken_ = 0;
  uint64_t sensor_ = 0;
  double time_ = 0;
  double mean_rate_ = 0;
  // bursts
  bool on_ = false;
  double state_end_ = 0;
  double off_rate_ = 0;

  double rate_at(double t) const;  // diurnal
};

double sample_work(const WorkSpec& work, std::mt19937_64& rng);

}  // namespace leptonsim::models
