// Federated jobs in the scenario format, their validation, and the closed form of a round.
#include "models/concurrent_flows.hpp"
#include "models/federated.hpp"
#include "models/json_input.hpp"
#include "models/scenario.hpp"
#include "tests/federated_fixture.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace leptonsim::models;

namespace {

Json platform_doc() { return leptonsim::test::federated_fixture(); }

Scenario parse(const Json& doc) { return parse_scenario(doc, "fl.json"); }

// The problems parse_scenario reports, one per line.
std::string problems(const Json& doc)
{
  try {
    parse(doc);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("a federated job is read with its defaults")
{
  const Scenario s = parse(platform_doc());
  REQUIRE(s.workload.federated.size() == 1);
  const auto& job = s.workload.federated[0];
  CHECK(job.clients.size() == 10);
  CHECK(job.clients_per_round == 10);  // K defaults to N
  CHECK(job.sampled() == 10);
  CHECK(job.wait_for == FlWaitFor::all);
  CHECK(job.model_bytes() == 4e6);
  CHECK(job.training_flops() == 1e9);
  CHECK(s.platform.nodes[job.aggregator].name == "cloud.server");
  CHECK_FALSE(job.hierarchical());
}

TEST_CASE("over-commitment samples ceil(K x factor) clients, never more than N, and waits for the first K")
{
  Json doc = platform_doc();
  auto& f  = doc["workload"]["federated"][0];
  f["clients_per_round"] = 6;
  f["over_commit"]       = 1.3;
  const auto job         = parse(doc).workload.federated[0];
  CHECK(job.sampled() == 8);  // ceil(7.8)
  CHECK(job.wait_for == FlWaitFor::first_k);
  CHECK(fl_quota(job, 8, 8) == 6);
  f["over_commit"] = 2.0;
  CHECK(parse(doc).workload.federated[0].sampled() == 10);
}

TEST_CASE("max-min fairness splits a shared link evenly and lets a flow held elsewhere keep its own rate")
{
  const Scenario s = parse(platform_doc());
  const Topology t(s.platform);
  const auto net   = network_params(s.network);
  const size_t server = s.workload.federated[0].aggregator;
  // Ten downloads from the server: its 125 MB/s uplink is split ten ways, which the 12.5 MB/s
  // access links of the phones also allow.
  std::vector<Flow> flows;
  for (size_t c = 0; c < 10; ++c)
    flows.push_back({Endpoint::node(server), Endpoint::node(c), 4e6});
  for (double r : max_min_rates(t, net, flows))
    CHECK(r == doctest::Approx(12.5e6));
  const auto times = concurrent_transfer_times(t, net, flows);
  CHECK(times[0] == doctest::Approx(0.012 + 4e6 / 12.5e6));
  // Two flows: both limited by their 12.5 MB/s access links, not by the server's.
  const auto two = max_min_rates(t, net, {flows[0], flows[1]});
  CHECK(two[0] == doctest::Approx(12.5e6));
  // Twenty flows to ten phones: each phone's link is split in two.
  std::vector<Flow> twenty = flows;
  twenty.insert(twenty.end(), flows.begin(), flows.end());
  for (double r : max_min_rates(t, net, twenty))
    CHECK(r == doctest::Approx(6.25e6));
}

TEST_CASE("the closed form of a round is download + compute + upload + aggregation")
{
  const Scenario s = parse(platform_doc());
  const Topology t(s.platform);
  const auto& job = s.workload.federated[0];
  const auto p    = predict_federated_round(s, t, network_params(s.network), job, representative_sample(job));
  CHECK(p.sampled == 10);
  CHECK(p.included == 10);
  CHECK(p.download == doctest::Approx(0.012 + 4e6 / 12.5e6));
  CHECK(p.compute == doctest::Approx(1.0));
  CHECK(p.upload == doctest::Approx(0.012 + 4e6 / 12.5e6));
  CHECK(p.aggregation == doctest::Approx(10 * 1e6 / 10e9));
  CHECK(p.round == doctest::Approx(0.332 + 1.0 + 0.332 + 0.001));
}

TEST_CASE("secure aggregation adds its exchanges and work to the round")
{
  Json doc = platform_doc();
  doc["workload"]["federated"][0]["privacy"] = Json::parse(R"({"secure_aggregation": {}})");
  const Scenario s = parse(doc);
  const Topology t(s.platform);
  const auto& job = s.workload.federated[0];
  const auto p    = predict_federated_round(s, t, network_params(s.network), job, representative_sample(job));
  const auto c    = secure_aggregation_cost(*job.privacy.secure_aggregation, 10, 1e6);
  // The masked update is 32 + ceil(log2 10) = 36 bits a value.
  CHECK(c.up_bytes[masked_input] == 4.5e6);
  CHECK(p.upload == doctest::Approx(0.012 + 4.5e6 / 12.5e6));
  CHECK(p.secure_aggregation > 6 * 0.012);  // at least six more one-way latencies
  CHECK(p.aggregation == doctest::Approx((10 * 1e6 + c.server_flops) / 10e9));
  CHECK(p.round == doctest::Approx(p.download + p.compute + p.upload + p.secure_aggregation + p.aggregation));
}

TEST_CASE("homomorphic encryption and MPC change a round's bytes and flop by their factors")
{
  // CKKS: ciphertexts 25 times the plaintext, 300 + 75 flop a value to encrypt and decrypt, additions
  // 16 times slower. Ten 100 MB downloads share each 12.5 MB/s link on their way: 8 s each way.
  Json doc = platform_doc();
  doc["workload"]["federated"][0]["privacy"] = Json::parse(R"({"he": {"scheme": "ckks"}})");
  Scenario s = parse(doc);
  const Topology t(s.platform);
  auto job = s.workload.federated[0];
  auto p   = predict_federated_round(s, t, network_params(s.network), job, representative_sample(job));
  CHECK(fl_download_bytes(job) == doctest::Approx(1e8));
  CHECK(p.download == doctest::Approx(0.012 + 1e8 / 12.5e6));
  CHECK(p.compute == doctest::Approx((1e9 + 1e6 * 375) / 1e9));
  CHECK(p.upload == doctest::Approx(0.012 + 1e8 / 12.5e6));
  CHECK(p.aggregation == doctest::Approx(10 * 1e6 * 16 / 10e9));
  // MPC among 3 parties: each update leaves as 3 shares, and the aggregation works on every share.
  doc["workload"]["federated"][0]["privacy"] = Json::parse(R"({"mpc": {"parties": 3}})");
  s   = parse(doc);
  job = s.workload.federated[0];
  p   = predict_federated_round(s, t, network_params(s.network), job, representative_sample(job));
  CHECK(p.download == doctest::Approx(0.012 + 4e6 / 12.5e6));
  CHECK(p.upload == doctest::Approx(0.012 + 1.2e7 / 12.5e6));
  CHECK(p.aggregation == doctest::Approx(10 * 3e6 / 10e9));
}

TEST_CASE("invalid federated and privacy parameters are rejected with pointer messages")
{
  Json doc = platform_doc();
  doc["workload"]["federated"][0]["clients_per_round"] = 12;
  CHECK(problems(doc).find("/workload/federated/0/clients_per_round: K = 12 exceeds the N = 10 clients") !=
        std::string::npos);

  auto with_privacy = [&](const char* privacy) {
    Json d                                   = platform_doc();
    d["workload"]["federated"][0]["privacy"] = Json::parse(privacy);
    return problems(d);
  };
  CHECK(with_privacy(R"({"dp": {"mechanism": "laplace", "epsilon": 0, "budget": {"epsilon": 1}}})")
            .find("/workload/federated/0/privacy/dp/epsilon: must be > 0, got 0") != std::string::npos);
  CHECK(with_privacy(R"({"dp": {"mechanism": "laplace", "epsilon": 1, "budget": {"epsilon": -2}}})")
            .find("/workload/federated/0/privacy/dp/budget/epsilon: must be > 0, got -2") != std::string::npos);
  CHECK(with_privacy(R"({"dp": {"mechanism": "gaussian", "sigma": 1, "budget": {"epsilon": 1, "delta": 1.5}}})")
            .find("/workload/federated/0/privacy/dp/budget/delta: delta must lie in (0, 1), got 1.5") !=
        std::string::npos);
  CHECK(with_privacy(R"({"dp": {"mechanism": "gaussian", "sigma": 1, "budget": {"epsilon": 1, "delta": 0}}})")
            .find("budget/delta: delta must lie in (0, 1), got 0") != std::string::npos);
  CHECK(with_privacy(R"({"dp": {"mechanism": "gaussian", "sigma": 0, "budget": {"epsilon": 1}}})")
            .find("/workload/federated/0/privacy/dp/sigma: must be > 0, got 0") != std::string::npos);
  CHECK(with_privacy(R"({"dp": {"mechanism": "gaussian", "sigma": -1, "budget": {"epsilon": 1}}})")
            .find("/workload/federated/0/privacy/dp/sigma: must be > 0, got -1") != std::string::npos);
  CHECK(with_privacy(R"({"dp": {"mechanism": "gaussian", "epsilon": 2, "delta": 1e-5, "budget": {"epsilon": 9}}})")
            .find("holds for epsilon < 1") != std::string::npos);
  CHECK(with_privacy(R"({"dp": {"mechanism": "gaussian", "sigma": 1,
                               "budget": {"epsilon": 9, "accounting": "basic"}}})")
            .find("give \"delta\" per release") != std::string::npos);
  CHECK(with_privacy(R"({"dp": {"mechanism": "laplace", "sigma": 1, "epsilon": 1, "budget": {"epsilon": 9}}})")
            .find("privacy/dp/sigma: applies to the gaussian mechanism") != std::string::npos);
  CHECK(with_privacy(R"({"dp": {"mechanism": "gaussian", "sigma": 1}})")
            .find("privacy/dp/budget: required key is missing") != std::string::npos);
  CHECK(with_privacy(R"({"he": {"scheme": "bfv"}})").find("privacy/he/scheme: 'bfv' is not one of") !=
        std::string::npos);
  CHECK(with_privacy(R"({"mpc": {"parties": 3}, "secure_aggregation": {}})").find("privacy/mpc: secure aggregation") !=
        std::string::npos);
}

TEST_CASE("hierarchical jobs need one edge aggregator in each client's site")
{
  Json doc = platform_doc();
  doc["workload"]["federated"][0]["edge_aggregators"] = Json::array({"cloud.server"});
  CHECK(problems(doc).find("/workload/federated/0/edge_aggregators: client 'edge.phone-0' has no edge aggregator") !=
        std::string::npos);
  doc["workload"]["federated"][0]["edge_aggregators"] = Json::array({"edge.phone-9"});
  const auto job = parse(doc).workload.federated[0];
  CHECK(job.hierarchical());
  CHECK(job.client_edge == std::vector<size_t>(10, 0));
}

TEST_CASE("a group's privacy changes each reading: noise flop, encryption's expansion and slowdown, MPC's DAG")
{
  Json doc = Json::parse(R"({
    "name": "s", "platform": {"sites": [
      {"name": "a", "link": {"bandwidth": "1Gbps", "latency": "1ms"}, "nodes": [{"name": "n", "speed": "1Gf"}]},
      {"name": "b", "link": {"bandwidth": "1Gbps", "latency": "1ms"}, "nodes": [{"name": "n", "speed": "1Gf"}]}],
      "links": [{"between": ["a", "b"], "bandwidth": "1Gbps", "latency": "5ms"}]},
    "workload": {"duration": "10s", "groups": [
      {"name": "g", "site": "a", "sensors": 10, "rate": 1, "flops": "1Mf", "bytes": "1kB"}]}
  })");
  auto& g      = doc["workload"]["groups"][0];
  g["privacy"] = Json::parse(R"({"dp": {"mechanism": "laplace", "epsilon": 0.5, "values": 10, "noise_flops": 100,
                                        "budget": {"epsilon": 2, "accounting": "basic"}},
                                 "he": {"scheme": "paillier"}})");
  const auto s = parse(doc);
  const auto& group = s.workload.groups[0];
  CHECK(group.privacy.dp->releases_allowed == 4);
  CHECK(group.work.mean == doctest::Approx((1e6 + 1000) * 5e5));
  CHECK(group.bytes == doctest::Approx(1000 * 128));
  CHECK(group.privacy.plain_flops == 1e6);

  g["privacy"] = Json::parse(R"({"mpc": {"parties": ["a", "b"], "multiplications": 100, "depth": 4}})");
  const auto m = parse(doc);
  const auto& mg = m.workload.groups[0];
  REQUIRE(mg.dag);
  const auto& dag = m.workload.dags[*mg.dag];
  CHECK(dag.tasks.size() == 2 * 5 + 1);
  CHECK(mg.targets.size() == 2);
  double opening = 0;
  for (const auto& e : dag.edges)
    opening += e.bytes;
  // 4 rounds of openings between the two parties (2 x 25 multiplications x 8 B each way), and one output share.
  CHECK(opening == doctest::Approx(4 * 2 * (2 * 25 * 8) + 8));

  g["privacy"] = Json::parse(R"({"secure_aggregation": {}})");
  CHECK(problems(doc).find("/workload/groups/0/privacy/secure_aggregation: sums the updates of federated clients") !=
        std::string::npos);
}
