// The federated platform and job that the unit tests (the closed form of a round) and the
// simulation tests (the simulated round against it) share, so that both speak of the same numbers.
#pragma once

#include "models/json_input.hpp"

namespace leptonsim::test {

// Ten clients of 1 Gflop/s on 100 Mb/s links, a 10 Gflop/s aggregator on 1 Gb/s, a 1 Gb/s backbone
// of 10 ms: a round is 0.332 s of download, 1 s of training, 0.332 s of upload and 1 ms of
// aggregation. Five rounds of a model of 10^6 parameters.
inline models::Json federated_fixture()
{
  return models::Json::parse(R"({
    "name": "fl", "network": {"model": "ideal"},
    "platform": {
      "sites": [
        {"name": "edge", "link": {"bandwidth": "100Mbps", "latency": "1ms"},
         "nodes": [{"name": "phone", "count": 10, "speed": "1Gf"}]},
        {"name": "cloud", "kind": "cloud", "link": {"bandwidth": "1Gbps", "latency": "1ms"},
         "nodes": [{"name": "server", "speed": "10Gf", "cores": 4}]}],
      "links": [{"between": ["edge", "cloud"], "bandwidth": "1Gbps", "latency": "10ms"}]},
    "workload": {"federated": [{
      "name": "fl", "clients": ["edge"], "aggregator": "cloud.server", "rounds": 5,
      "model": {"parameters": 1000000}, "training": {"samples": 100, "flops_per_sample": "10Mf"}}]}
  })");
}

}  // namespace leptonsim::test
