#include "models/faults.hpp"

#include "models/rng.hpp"

#include <cmath>

namespace leptonsim::models {

const char* to_string(RecoveryStrategy s)
{
  switch (s) {
    case RecoveryStrategy::none:
      return "none";
    case RecoveryStrategy::retry:
      return "retry";
    case RecoveryStrategy::replicate:
      return "replicate";
    case RecoveryStrategy::checkpoint:
      return "checkpoint";
  }
  return "?";
}

double draw_uptime(const RandomFaults& f, std::mt19937_64& rng)
{
  if (f.distribution == FailureDistribution::exponential)
    return exponential(rng, 1.0 / f.mtbf);
  const double scale = f.mtbf / std::tgamma(1.0 + 1.0 / f.shape);
  // Inverse transform: F(x) = 1 - exp(-(x / scale)^k).
  return scale * std::pow(-std::log1p(-uniform01(rng)), 1.0 / f.shape);
}

double draw_repair(const RandomFaults& f, std::mt19937_64& rng)
{
  return exponential(rng, 1.0 / f.mttr);
}

}  // namespace leptonsim::models
