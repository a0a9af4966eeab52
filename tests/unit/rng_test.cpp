#include "models/rng.hpp"

#include <doctest/doctest.h>

#include <cmath>

using namespace leptonsim::models;

TEST_CASE("generators are determined by seed and component name")
{
  auto a = make_rng(42, "stream:g");
  auto b = make_rng(42, "stream:g");
  auto c = make_rng(42, "stream:h");
  auto d = make_rng(43, "stream:g");
  const auto x = a();
  CHECK(x == b());
  CHECK(x != c());
  CHECK(x != d());
}

TEST_CASE("exponential variates have the requested mean")
{
  auto rng   = make_rng(1, "exp");
  double sum = 0;
  const int n = 200000;
  for (int i = 0; i < n; ++i)
    sum += exponential(rng, 4.0);
  CHECK(sum / n == doctest::Approx(0.25).epsilon(0.01));
  for (int i = 0; i < 1000; ++i) {
    const double u = uniform01(rng);
    CHECK(u >= 0.0);
    CHECK(u < 1.0);
  }
}
