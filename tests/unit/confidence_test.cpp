#include "models/confidence.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <vector>

using namespace leptonsim::models;

TEST_CASE("Student's t quantiles match the published table")
{
  // Two-sided 95%: t(0.975, df) from any statistics table.
  CHECK(student_t_quantile(0.975, 1) == doctest::Approx(12.706).epsilon(1e-4));
  CHECK(student_t_quantile(0.975, 4) == doctest::Approx(2.776).epsilon(1e-3));
  CHECK(student_t_quantile(0.975, 29) == doctest::Approx(2.045).epsilon(1e-3));
  CHECK(student_t_quantile(0.975, 1e6) == doctest::Approx(1.960).epsilon(1e-3));
}

TEST_CASE("mean and standard deviation and a t interval over replications")
{
  const std::vector<double> v{2, 4, 4, 4, 5, 5, 7, 9};
  const SampleSummary s = summarize(v);
  CHECK(s.n == 8);
  CHECK(s.mean == doctest::Approx(5.0));
  REQUIRE(s.sd);
  CHECK(*s.sd == doctest::Approx(2.13809).epsilon(1e-5));  // sample (n - 1) standard deviation
  REQUIRE(s.ci95_half);
  CHECK(*s.ci95_half == doctest::Approx(2.364624 * 2.13809 / std::sqrt(8.0)).epsilon(1e-5));
}

TEST_CASE("one value has a mean but no spread and none has nothing")
{
  const std::vector<double> one{3.5};
  const SampleSummary s = summarize(one);
  CHECK(s.n == 1);
  CHECK(s.mean == 3.5);
  CHECK(!s.sd);
  CHECK(!s.ci95_half);
  CHECK(summarize(std::vector<double>{}).n == 0);
}

TEST_CASE("the variance of large close values keeps its digits")
{
  const std::vector<double> v{1e9 + 1, 1e9 + 2, 1e9 + 3};
  CHECK(*summarize(v).sd == doctest::Approx(1.0).epsilon(1e-9));
}
