#include "models/rng.hpp"
#include "models/stats.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

using namespace leptonsim::models;

TEST_CASE("quantiles stay within the relative accuracy of the exact nearest-rank sample")
{
  auto rng = make_rng(3, "stats");
  QuantileSketch sketch(1e-3);
  std::vector<double> values;
  for (int i = 0; i < 200000; ++i) {
    const double v = exponential(rng, 100.0) + (i % 7 == 0 ? 1.0 : 0.0);
    values.push_back(v);
    sketch.add(v);
  }
  std::sort(values.begin(), values.end());
  for (double q : {0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999}) {
    const double exact = values[static_cast<size_t>(std::ceil(q * values.size())) - 1];
    CHECK(std::abs(sketch.quantile(q) - exact) <= 1e-3 * exact + 1e-12);
  }
  CHECK(sketch.quantile(0) == values.front());
  CHECK(sketch.quantile(1) == values.back());
}

TEST_CASE("mean and variance and extremes and merging are exact")
{
  QuantileSketch a, b, all;
  for (int i = 1; i <= 10; ++i) {
    (i <= 4 ? a : b).add(i);
    all.add(i);
  }
  CHECK(all.count() == 10);
  CHECK(all.mean() == doctest::Approx(5.5));
  CHECK(all.variance() == doctest::Approx(55.0 / 6.0));
  a.merge(b);
  CHECK(a.count() == 10);
  CHECK(a.mean() == doctest::Approx(5.5));
  CHECK(a.variance() == doctest::Approx(all.variance()));
  CHECK(a.min() == 1);
  CHECK(a.max() == 10);
  CHECK(a.quantile(0.5) == doctest::Approx(5).epsilon(1e-3));
}

TEST_CASE("zero and tiny values are counted")
{
  QuantileSketch s;
  s.add(0);
  s.add(0);
  s.add(1);
  CHECK(s.quantile(0.5) == 0.0);
  CHECK(s.quantile(0.9) == doctest::Approx(1).epsilon(1e-3));
}

TEST_CASE("time integrals average piecewise-constant values")
{
  TimeIntegral q;
  q.set(0, 2);
  q.add(1, 1);   // 3 from t = 1
  q.add(3, -3);  // 0 from t = 3
  CHECK(q.integral(4) == doctest::Approx(2 * 1 + 3 * 2));
  CHECK(q.peak() == 3);
}
