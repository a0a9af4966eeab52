#include "models/queueing.hpp"

#include <doctest/doctest.h>

using namespace leptonsim::models;

TEST_CASE("Erlang C and the mean waits of M/M/1 and M/M/c and M/D/1")
{
  CHECK(erlang_c(1, 0.5) == doctest::Approx(0.5));  // M/M/1: P(wait) = rho
  // Textbook value: c = 2, a = 1 (rho = 0.5): C = 1/3.
  CHECK(erlang_c(2, 1.0) == doctest::Approx(1.0 / 3.0));
  CHECK(mm1_wait(0.9, 1.0) == doctest::Approx(9.0));
  CHECK(mmc_wait(1, 0.9, 1.0) == doctest::Approx(mm1_wait(0.9, 1.0)));
  CHECK(mmc_wait(2, 1.0, 1.0) == doctest::Approx((1.0 / 3.0) / 1.0));
  CHECK(md1_wait(0.5, 1.0) == doctest::Approx(0.5));
  CHECK(md1_wait(0.9, 1.0) == doctest::Approx(4.5));
  CHECK(md1_wait(0.9, 1.0) == doctest::Approx(mm1_wait(0.9, 1.0) / 2));  // deterministic service halves the wait
}
