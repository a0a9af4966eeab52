#include "models/arrivals.hpp"

#include "models/rng.hpp"

#include <cmath>

namespace leptonsim::models {

ArrivalProcess::ArrivalProcess(const SensorGroup& group, std::mt19937_64& rng) : group_(group), rng_(rng)
{
  mean_rate_ = group.rate();
  const Modulation& m = group.modulation;
  if (m.kind == Modulation::Kind::bursts) {
    // Mean rate = off_rate * (mean_off + factor * mean_on) / (mean_on + mean_off).
    off_rate_ = mean_rate_ * (m.mean_on + m.mean_off) / (m.mean_off + m.factor * m.mean_on);
    on_       = uniform01(rng_) < m.mean_on / (m.mean_on + m.mean_off);  // start in the stationary state
    state_end_ = exponential(rng_, 1.0 / (on_ ? m.mean_on : m.mean_off));
  }
}

double ArrivalProcess::rate_at(double t) const
{
  const Modulation& m = group_.modulation;
  return mean_rate_ * (1.0 + m.amplitude * std::sin(6.283185307179586 * (t - m.phase) / m.period));
}

double ArrivalProcess::next()
{
  if (group_.arrival == ArrivalKind::periodic) {
    const double slot   = group_.period / static_cast<double>(group_.sensors);
    const double offset = group_.jitter > 0 ? group_.jitter * uniform01(rng_) : 0.0;
    sensor_             = taken_ % group_.sensors;
    return (static_cast<double>(taken_++) + offset) * slot;
  }
  sensor_ = static_cast<uint64_t>((static_cast<unsigned __int128>(rng_()) * group_.sensors) >> 64);
  const Modulation& m = group_.modulation;
  switch (m.kind) {
    case Modulation::Kind::none:
      time_ += exponential(rng_, mean_rate_);
      break;
    case Modulation::Kind::diurnal: {
      const double peak = mean_rate_ * (1.0 + m.amplitude);
      do {
        time_ += exponential(rng_, peak);
      } while (uniform01(rng_) * peak > rate_at(time_));
      break;
    }
    case Modulation::Kind::bursts:
      for (;;) {
        const double rate = on_ ? off_rate_ * m.factor : off_rate_;
        const double gap  = exponential(rng_, rate);
        if (time_ + gap <= state_end_) {
          time_ += gap;
          break;
        }
        // Memoryless: restart from the state change.
        time_ = state_end_;
        on_   = !on_;
        state_end_ += exponential(rng_, 1.0 / (on_ ? m.mean_on : m.mean_off));
      }
      break;
  }
  ++taken_;
  return time_;
}

double sample_work(const WorkSpec& work, std::mt19937_64& rng)
{
  switch (work.distribution) {
    case WorkDistribution::constant:
      return work.mean;
    case WorkDistribution::exponential:
      return exponential(rng, 1.0 / work.mean);
    case WorkDistribution::lognormal: {
      const double sigma2 = std::log1p(work.cv * work.cv);
      const double mu     = std::log(work.mean) - sigma2 / 2.0;
      return std::exp(mu + std::sqrt(sigma2) * standard_normal(rng));
    }
  }
  return work.mean;
}

}  // namespace leptonsim::models
