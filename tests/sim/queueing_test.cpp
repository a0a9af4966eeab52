// The simulator against closed-form queueing theory: one node, Poisson arrivals, no network
// delay, FIFO service; mean wait and sojourn within 3% of M/M/1, M/M/c (Erlang C) and M/D/1.
#include "models/queueing.hpp"
#include "scenario_builder.hpp"
#include "sim/simulation.hpp"

#include <doctest/doctest.h>

using namespace leptonsim;

namespace {

// A single node of `cores` cores at 1 Gflop/s serving tasks of mean 1 Mflop (mu = 1,000/s per
// core), exponential or constant, arriving at rate lambda for `duration` seconds.
sim::RunResult run_queue(int cores, double lambda, bool exponential, double duration)
{
  auto doc = test::poisson_stream(1, cores, 1e9, lambda, 1e6, duration);
  doc["platform"]["sites"][0]["link"]["latency"] = 0;
  doc["workload"]["groups"][0]["bytes"]           = 0;
  if (exponential)
    doc["workload"]["groups"][0]["flops"] = {{"mean", 1e6}, {"distribution", "exponential"}};
  doc["output"] = {{"max_task_rows", 0}};
  return sim::run_simulation(models::parse_scenario(doc, "queue.json"));
}

void check(const sim::RunResult& r, double wait, double mu)
{
  CAPTURE(r.wait.count);
  CHECK(r.wait.mean == doctest::Approx(wait).epsilon(0.03));
  CHECK(r.latency.mean == doctest::Approx(wait + 1.0 / mu).epsilon(0.03));
}

}  // namespace

TEST_CASE("M/M/1 at rho 0.5 matches rho / (mu - lambda)")
{
  check(run_queue(1, 500, true, 400), models::mm1_wait(500, 1000), 1000);
}

TEST_CASE("M/M/1 at rho 0.9 matches rho / (mu - lambda)")
{
  check(run_queue(1, 900, true, 2000), models::mm1_wait(900, 1000), 1000);
}

TEST_CASE("M/M/c with 4 servers at rho 0.5 matches Erlang C")
{
  check(run_queue(4, 2000, true, 200), models::mmc_wait(4, 2000, 1000), 1000);
}

TEST_CASE("M/M/c with 4 servers at rho 0.9 matches Erlang C")
{
  check(run_queue(4, 3600, true, 600), models::mmc_wait(4, 3600, 1000), 1000);
}

TEST_CASE("M/D/1 at rho 0.5 matches Pollaczek-Khinchine")
{
  check(run_queue(1, 500, false, 400), models::md1_wait(500, 1000), 1000);
}

TEST_CASE("M/D/1 at rho 0.9 matches Pollaczek-Khinchine")
{
  check(run_queue(1, 900, false, 1000), models::md1_wait(900, 1000), 1000);
}
