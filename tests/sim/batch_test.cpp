#include "models/cost_model.hpp"
#include "scenario_builder.hpp"
#include "sim/simulation.hpp"

#include <doctest/doctest.h>

using namespace leptonsim;

TEST_CASE("homogeneous nodes with a balanced policy on the ideal network finish within 0.5% of T/sum(C) + S*eta")
{
  const auto s = test::scenario_from(R"({
    "name": "homogeneous", "network": {"model": "ideal"}, "policy": {"name": "capacity_weighted"},
    "platform": {"sites": [{"name": "edge", "link": {"bandwidth": "10Gbps", "latency": "2ms"},
                            "nodes": [{"name": "n", "count": 6, "speed": "1.5Gf", "cores": 2}]}]},
    "workload": {"jobs": [{"name": "j", "units": 360000, "flops_per_unit": "1Mf", "chunks": 24,
                                            "sharing": {"rounds": 3, "bytes": "1MiB"}}]}
  })");
  const auto r = sim::run_simulation(s);
  const auto& job = r.jobs.at(0);
  // 3.6e11 flop over 6 x 2 x 1.5 Gflop/s = 20 s; a round is 2 x (2 ms + 1 MiB / 1.25 GB/s).
  CHECK(job.prediction.balanced == doctest::Approx(20.0 + 3 * 2 * (2e-3 + 1048576 / 1.25e9)));
  CHECK(std::abs(models::relative_error(job.makespan, job.prediction.balanced)) <= 0.005);
  CHECK(job.eta_measured == doctest::Approx(job.prediction.eta).epsilon(1e-6));
  CHECK(job.pieces_completed == 24 * 4);
  CHECK(r.tasks_completed == 24 * 4);
}

TEST_CASE("heterogeneous nodes: round robin follows the refined form and loses to capacity weighting")
{
  const auto s = test::scenario_from(R"({
    "name": "heterogeneous", "network": {"model": "ideal"},
    "platform": {
      "sites": [
        {"name": "rr", "link": {"bandwidth": "10Gbps", "latency": "1ms"},
         "nodes": [{"name": "a", "speed": "1Gf"}, {"name": "b", "speed": "1.5Gf"},
                   {"name": "c", "speed": "2.5Gf"}, {"name": "d", "speed": "4Gf"}]},
        {"name": "cw", "link": {"bandwidth": "10Gbps", "latency": "1ms"},
         "nodes": [{"name": "a", "speed": "1Gf"}, {"name": "b", "speed": "1.5Gf"},
                   {"name": "c", "speed": "2.5Gf"}, {"name": "d", "speed": "4Gf"}]}],
      "links": [{"between": ["rr", "cw"], "bandwidth": "1Gbps", "latency": "20ms"}]},
    "workload": {"jobs": [
      {"name": "rr", "units": 90000, "flops_per_unit": "1Mf", "chunks": 90, "sharing": {"rounds": 2},
       "nodes": ["rr"], "source": "rr", "policy": {"name": "round_robin"}},
      {"name": "cw", "units": 90000, "flops_per_unit": "1Mf", "chunks": 90, "sharing": {"rounds": 2},
       "nodes": ["cw"], "source": "cw", "policy": {"name": "capacity_weighted"}}]}
  })");
  const auto r   = sim::run_simulation(s);
  const auto& rr = r.jobs.at(0);
  const auto& cw = r.jobs.at(1);
  CHECK(rr.chunks_per_node == std::vector<uint64_t>{23, 23, 22, 22});
  CHECK(cw.chunks_per_node == std::vector<uint64_t>{10, 15, 25, 40});
  CHECK(std::abs(models::relative_error(rr.makespan, rr.prediction.refined)) <= 0.01);
  CHECK(std::abs(models::relative_error(cw.makespan, cw.prediction.balanced)) <= 0.005);
  CHECK(rr.makespan > 2 * cw.makespan);  // 23 s against 10 s
}

TEST_CASE("chunk inputs that share one uplink push the makespan far past the formula")
{
  const auto s = test::scenario_from(R"({
    "name": "contention", "network": {"model": "ideal"}, "policy": {"name": "round_robin"},
    "platform": {
      "sites": [{"name": "edge", "link": {"bandwidth": "10Gbps", "latency": "1ms"},
                 "nodes": [{"name": "n", "count": 4, "speed": "1Gf"}]},
                {"name": "cloud"}],
      "links": [{"between": ["edge", "cloud"], "bandwidth": "800Mbps", "latency": "5ms"}]},
    "workload": {"jobs": [{"name": "j", "units": 400, "flops_per_unit": "10Mf",
                                            "bytes_per_unit": "1MB", "chunks": 4, "source": "cloud"}]}
  })");
  const auto r    = sim::run_simulation(s);
  const auto& job = r.jobs.at(0);
  // Compute: 4e9 flop on 4 Gflop/s = 1 s. Input: 400 MB through 100 MB/s = 4 s before the last chunk starts.
  CHECK(job.prediction.balanced == doctest::Approx(1.0));
  CHECK(job.makespan >= 4.0 + 1.0);
  CHECK(job.makespan == doctest::Approx(4.0 + 0.005 + 0.001 + 1.0).epsilon(1e-3));
  CHECK(r.bytes_moved == doctest::Approx(400e6));
}

TEST_CASE("a batch run never ends before its compute bound")
{
  const auto s = test::scenario_from(R"({
    "name": "bound", "network": {"model": "lv08"}, "policy": {"name": "least_loaded"},
    "platform": {"sites": [{"name": "edge", "link": {"bandwidth": "1Gbps", "latency": "3ms"},
                            "nodes": [{"name": "n", "count": 3, "speed": "2Gf", "cores": 3},
                                      {"name": "m", "speed": "5Gf", "cores": 1}]}]},
    "workload": {"jobs": [{"name": "j", "units": 1000, "flops_per_unit": "100Mf", "chunks": 37,
                                            "sharing": {"rounds": 4, "bytes": "10MB"}}]}
  })");
  const auto r    = sim::run_simulation(s);
  const auto& job = r.jobs.at(0);
  CHECK(job.makespan >= job.prediction.compute_balanced);
  CHECK(job.makespan >= job.prediction.bottleneck_compute);
  CHECK(job.pieces_completed == 37 * 5);
}

TEST_CASE("absurdly slow nodes still finish with a bounded timeline")
{
  // One chunk of 1 Gflop on a 1 flop/s node: a billion seconds of simulated time.
  const auto s = test::scenario_from(R"({
    "name": "slow",
    "platform": {"sites": [{"name": "edge", "link": {"bandwidth": "1Gbps", "latency": "1ms"},
                            "nodes": [{"name": "n", "speed": "1f"}, {"name": "m", "speed": "1Gf"}]}]},
    "workload": {"jobs": [{"name": "j", "units": 2, "flops_per_unit": "1Gf", "chunks": 2,
                                            "policy": {"name": "round_robin"}}]}
  })");
  const auto r = sim::run_simulation(s);
  CHECK(r.jobs.at(0).makespan == doctest::Approx(1e9));
  CHECK(r.timeline.size() < 2000);
}
