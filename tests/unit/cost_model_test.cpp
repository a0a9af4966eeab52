#include "models/cost_model.hpp"
#include "models/json_input.hpp"

#include <doctest/doctest.h>

using namespace leptonsim::models;

namespace {
Scenario seed_example()
{
  return parse_scenario(load_json_file(std::string(LEPTONSIM_SOURCE_DIR) + "/scenarios/seed_example_4_3.json"),
                        "seed_example_4_3.json");
}
}  // namespace

TEST_CASE("the seed's section 4.3 in consistent units")
{
  const Scenario s = seed_example();
  const Topology t(s.platform);
  const auto net = network_params(s.network);
  const auto& a  = s.workload.jobs[0];
  const auto& b  = s.workload.jobs[1];
  const auto pa  = predict_batch(s, t, net, a, static_assignment(s, a));
  const auto pb  = predict_batch(s, t, net, b, static_assignment(s, b));
  CHECK(pa.total_capacity == doctest::Approx(50000));
  CHECK(pb.total_capacity == doctest::Approx(50000));
  CHECK(pa.eta == doctest::Approx(1e-3));
  // Balanced: 5e6 / 5e4 s + 5 x 1 ms, for both cases.
  CHECK(pa.balanced == doctest::Approx(100.005));
  CHECK(pb.balanced == doctest::Approx(100.005));
  // Literal 4.2 with its factor N: 1x for case A, 5x for case B (the document printed 501 and 1001 ms).
  CHECK(pa.literal == doctest::Approx(100.005));
  CHECK(pb.literal == doctest::Approx(500.005));
  CHECK(pb.refined == doctest::Approx(100.005));
}

TEST_CASE("the refined form follows the assignment it is given")
{
  const Scenario s = seed_example();
  const Topology t(s.platform);
  const auto& b = s.workload.jobs[1];
  // All five chunks on one node: 5 x 1e6 units at 1e4 units/s.
  const auto p = predict_batch(s, t, network_params(s.network), b, {5, 0, 0, 0, 0});
  CHECK(p.refined == doctest::Approx(500.0 + 5 * 0.5e-3 * 2));
  CHECK(p.balanced == doctest::Approx(100.005));
}

TEST_CASE("static assignment deals chunks like the simulation's dispatcher")
{
  Scenario s = seed_example();
  auto job   = s.workload.jobs[1];
  job.chunks = 7;
  CHECK(static_assignment(s, job) == std::vector<uint64_t>{2, 2, 1, 1, 1});  // round robin
}

TEST_CASE("stream utilisation per target set and stability")
{
  const Scenario s = parse_scenario(Json::parse(R"({
    "name": "s",
    "platform": {"sites": [
      {"name": "a", "link": {"bandwidth": "1Gbps", "latency": "1ms"}, "nodes": [{"name": "n", "count": 2, "speed": "1Gf"}]},
      {"name": "b", "link": {"bandwidth": "1Gbps", "latency": "1ms"}, "nodes": [{"name": "n", "speed": "1Gf"}]}],
      "links": [{"between": ["a", "b"], "bandwidth": "1Gbps", "latency": "1ms"}]},
    "workload": {"duration": "10s", "groups": [
      {"name": "g", "site": "a", "sensors": 100, "rate": 10, "flops": "1Mf", "bytes": "125kB"},
      {"name": "h", "site": "b", "sensors": 150, "rate": 10, "flops": "1Mf"}]}
  })"),
                                    "s.json");
  const Topology t(s.platform);
  const auto p = predict_stream(s, t, network_params(s.network));
  CHECK(p.arrival_rate == doctest::Approx(2500));
  CHECK(p.expected_tasks == doctest::Approx(25000));
  CHECK(p.rho_total == doctest::Approx(2.5e9 / 3e9));
  REQUIRE(p.sets.size() == 2);
  CHECK(p.sets[0].rho == doctest::Approx(0.5));
  CHECK(p.sets[1].rho == doctest::Approx(1.5));
  CHECK(p.rho_max == doctest::Approx(1.5));
  CHECK_FALSE(p.stable);
  // Group g: 1 ms of latency, 125 kB at 125 MB/s = 1 ms, 1 ms of service.
  CHECK(p.group_min_latency[0] == doctest::Approx(3e-3));
}

TEST_CASE("relative error")
{
  CHECK(relative_error(110, 100) == doctest::Approx(0.1));
  CHECK(relative_error(0, 0) == 0.0);
  CHECK(std::isinf(relative_error(1, 0)));
}
