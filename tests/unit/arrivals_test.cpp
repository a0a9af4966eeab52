#include "models/arrivals.hpp"
#include "models/rng.hpp"

#include <doctest/doctest.h>

#include <cmath>

using namespace leptonsim::models;

namespace {
SensorGroup poisson_group(double rate)
{
  SensorGroup g;
  g.sensors = 100;
  g.period  = 100.0 / rate;
  g.arrival = ArrivalKind::poisson;
  return g;
}

// Readings in [from, to) over `horizon` seconds.
double count_between(ArrivalProcess& a, double horizon, double from, double to)
{
  double n = 0;
  for (double t = a.next(); t < horizon; t = a.next())
    if (t >= from && t < to)
      n += 1;
  return n;
}
}  // namespace

TEST_CASE("periodic sensors take turns and each reports once per period")
{
  SensorGroup g;
  g.sensors = 4;
  g.period  = 2.0;
  auto rng  = make_rng(1, "a");
  ArrivalProcess a(g, rng);
  for (int k = 0; k < 8; ++k) {
    CHECK(a.next() == doctest::Approx(0.5 * k));
    CHECK(a.sensor() == static_cast<uint64_t>(k % 4));
  }
}

TEST_CASE("Poisson arrivals have the group's rate")
{
  SensorGroup g = poisson_group(1000);
  auto rng      = make_rng(2, "a");
  ArrivalProcess a(g, rng);
  CHECK(count_between(a, 100, 0, 100) == doctest::Approx(100000).epsilon(0.01));
}

TEST_CASE("a diurnal modulation keeps the mean rate and follows the sine")
{
  SensorGroup g          = poisson_group(1000);
  g.modulation.kind      = Modulation::Kind::diurnal;
  g.modulation.period    = 100;
  g.modulation.amplitude = 0.8;
  auto rng               = make_rng(3, "a");
  ArrivalProcess a(g, rng);
  // First quarter of the cycle: mean of 1 + 0.8 sin over [0, 25) is 1 + 0.8 * 2 / pi.
  auto rng2 = make_rng(3, "a");
  ArrivalProcess b(g, rng2);
  CHECK(count_between(a, 100, 0, 100) == doctest::Approx(100000).epsilon(0.01));
  CHECK(count_between(b, 100, 0, 25) == doctest::Approx(25000 * (1 + 0.8 * 2 / M_PI)).epsilon(0.02));
}

TEST_CASE("bursts keep the mean rate")
{
  SensorGroup g         = poisson_group(1000);
  g.modulation.kind     = Modulation::Kind::bursts;
  g.modulation.factor   = 20;
  g.modulation.mean_on  = 1;
  g.modulation.mean_off = 9;
  auto rng              = make_rng(4, "a");
  ArrivalProcess a(g, rng);
  // A burst brings about 6,900 readings; 2,000 bursts make the count's relative spread about 1.5%.
  CHECK(count_between(a, 20000, 0, 20000) == doctest::Approx(2e7).epsilon(0.05));
}

TEST_CASE("work distributions have the requested mean")
{
  auto rng = make_rng(5, "w");
  double sum_exp = 0, sum_log = 0, sum_log2 = 0;
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    sum_exp += sample_work({2.0, WorkDistribution::exponential, 0}, rng);
    const double x = sample_work({2.0, WorkDistribution::lognormal, 0.5}, rng);
    sum_log += x;
    sum_log2 += x * x;
  }
  CHECK(sum_exp / n == doctest::Approx(2.0).epsilon(0.01));
  const double mean = sum_log / n;
  CHECK(mean == doctest::Approx(2.0).epsilon(0.01));
  CHECK(std::sqrt(sum_log2 / n - mean * mean) / mean == doctest::Approx(0.5).epsilon(0.03));
  CHECK(sample_work({3.0, WorkDistribution::constant, 0}, rng) == 3.0);
}
