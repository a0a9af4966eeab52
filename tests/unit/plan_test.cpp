#include "models/json_input.hpp"
#include "models/plan.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <vector>

using namespace leptonsim::models;

namespace {

// Runs a search to its end against a feasibility rule; returns the answer and counts evaluations.
std::optional<size_t> search(size_t count, PlanSearch::Method method, const std::function<bool(size_t)>& feasible,
                             size_t& evaluations, size_t batch = 1)
{
  PlanSearch s(count, method);
  evaluations = 0;
  while (!s.done()) {
    const auto next = s.next(batch);
    REQUIRE(!next.empty());
    for (size_t i : next) {
      ++evaluations;
      s.record(i, feasible(i));
    }
  }
  CHECK(s.evaluated() == evaluations);
  return s.answer();
}

}  // namespace

TEST_CASE("objectives are parsed with their comparison and refused with a reason")
{
  const Slo a = parse_slo("/metrics/latency_s/p99<0.1");
  CHECK(a.metric == "/metrics/latency_s/p99");
  CHECK(a.op == Slo::Op::less);
  CHECK(a.bound == 0.1);
  CHECK(parse_slo("/metrics/throughput_per_s >= 1e3").op == Slo::Op::greater_equal);
  CHECK(parse_slo("/metrics/throughput_per_s >= 1e3").bound == 1000);
  CHECK(parse_slo("/x<=2").op == Slo::Op::less_equal);
  CHECK(parse_slo("/x>2").op == Slo::Op::greater);
  CHECK_THROWS_AS(parse_slo("/metrics/latency_s/p99 0.1"), InputError);
  CHECK_THROWS_AS(parse_slo("metrics/latency_s/p99<0.1"), InputError);
  CHECK_THROWS_AS(parse_slo("/metrics/latency_s/p99<fast"), InputError);
  CHECK_THROWS_AS(parse_slo("/metrics/latency_s/p99<"), InputError);
}

TEST_CASE("a range lists its values and refuses to be empty")
{
  CHECK(parse_range("2:6", 1) == std::vector<double>{2, 3, 4, 5, 6});
  CHECK(parse_range("1:2", 0.25) == std::vector<double>{1, 1.25, 1.5, 1.75, 2});
  CHECK(parse_range("3:3", 1) == std::vector<double>{3});
  CHECK(parse_range("0:10", 4) == std::vector<double>{0, 4, 8});
  CHECK_THROWS_AS(parse_range("6:2", 1), InputError);
  CHECK_THROWS_AS(parse_range("6", 1), InputError);
  CHECK_THROWS_AS(parse_range("a:b", 1), InputError);
  CHECK_THROWS_AS(parse_range("1:2", 0), InputError);
  CHECK_THROWS_AS(parse_range("0:1e9", 1), InputError);
}

TEST_CASE("one replication is judged by its value, several by the one-sided bound of their mean")
{
  const Slo below = parse_slo("/m<10");
  const double one[] = {9.9};
  CHECK(judge(below, one, 0.95).holds);
  CHECK(judge(below, one, 0.95).tested == 9.9);
  // Mean 9, sd 1, n 3: the 95% upper bound is 9 + t(0.95, 2) / sqrt(3) = 9 + 2.919986 / 1.732051.
  const double three[] = {8, 9, 10};
  const SloVerdict v = judge(below, three, 0.95);
  CHECK(v.mean == doctest::Approx(9));
  CHECK(v.tested == doctest::Approx(9 + 2.919986 / std::sqrt(3.0)).epsilon(1e-6));
  CHECK(!v.holds);  // the mean meets 10, its bound does not
  CHECK(judge(parse_slo("/m<11"), three, 0.95).holds);
  // A lower bound for ">": mean minus the half-width.
  CHECK(judge(parse_slo("/m>7"), three, 0.95).tested == doctest::Approx(9 - 2.919986 / std::sqrt(3.0)).epsilon(1e-6));
  const double missing[] = {std::nan("")};
  CHECK(!judge(below, missing, 0.95).holds);  // no value meets nothing
}

TEST_CASE("bisection finds the threshold of every monotone rule in logarithmically many simulations")
{
  for (size_t count = 1; count <= 64; ++count)
    for (size_t threshold = 0; threshold <= count; ++threshold) {
      CAPTURE(count);
      CAPTURE(threshold);
      size_t evaluations = 0;
      const auto answer = search(count, PlanSearch::Method::bisect, [&](size_t i) { return i >= threshold; },
                                 evaluations);
      if (threshold == count)
        CHECK(!answer);
      else
        CHECK(answer == threshold);
      CHECK(evaluations <= 2 + static_cast<size_t>(std::ceil(std::log2(static_cast<double>(count)))));
    }
}

TEST_CASE("a scan tries the values upward and stops at the first that meets the objectives")
{
  for (size_t count = 1; count <= 20; ++count)
    for (size_t threshold = 0; threshold <= count; ++threshold)
      for (size_t batch : {1, 3}) {
        size_t evaluations = 0;
        const auto answer = search(count, PlanSearch::Method::scan, [&](size_t i) { return i >= threshold; },
                                   evaluations, batch);
        CHECK(answer == (threshold < count ? std::optional<size_t>(threshold) : std::nullopt));
        // Batches may run ahead of the answer by less than a batch.
        CHECK(evaluations <= std::min(count, threshold + batch));
      }
  // Not monotone: only 3 and 7 meet them. A scan finds 3; a bisection, which assumes monotony,
  // finds what its bracket holds.
  size_t evaluations = 0;
  CHECK(search(10, PlanSearch::Method::scan, [](size_t i) { return i == 3 || i == 7; }, evaluations) == 3u);
  CHECK(evaluations == 4);
}

TEST_CASE("a bisection that sees the objectives fail above a value that met them turns into a scan")
{
  PlanSearch s(10, PlanSearch::Method::bisect);
  s.record(9, true);
  s.record(0, false);
  s.record(4, true);
  CHECK(!s.done());
  s.record(6, false);  // 4 met them, 6 does not: not monotone
  CHECK(s.saw_non_monotone());
  CHECK(s.method() == PlanSearch::Method::scan);
  CHECK(s.next(10) == std::vector<size_t>{1, 2, 3});
  s.record(1, false);
  s.record(2, true);
  s.record(3, false);
  CHECK(s.done());
  CHECK(s.answer() == 2u);
  CHECK(s.reason().find("not monotone") != std::string::npos);
}
