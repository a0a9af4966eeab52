// Federated rounds simulated: against their closed form, with stragglers, dropouts and budgets;
// and privacy mechanisms on streams.
#include "models/federated.hpp"
#include "models/secure_aggregation.hpp"
#include "scenario_builder.hpp"
#include "sim/simulation.hpp"
#include "tests/federated_fixture.hpp"

#include <doctest/doctest.h>

#include <cmath>

using namespace leptonsim;

namespace {

// The shared platform and job (tests/federated_fixture.hpp), with a seed of its own.
models::Json federated_doc()
{
  auto doc    = test::federated_fixture();
  doc["seed"] = 3;
  return doc;
}

void check_rounds_match_closed_form(const sim::RunResult& r, double round)
{
  const auto& f = r.federated.at(0);
  CHECK(f.rounds_completed == 5);
  CHECK(f.first_round_prediction.round == doctest::Approx(round));
  for (const auto& rec : f.rounds)
    CHECK(std::abs((rec.end - rec.start) - round) <= 0.01 * round);
  CHECK(std::abs((f.end - f.start) - 5 * round) <= 0.01 * 5 * round);
  CHECK(r.tasks_completed == r.tasks_submitted);
}

}  // namespace

TEST_CASE("with homogeneous clients on the ideal network a round takes download + compute + upload + aggregation")
{
  const auto r = sim::run_simulation(models::parse_scenario(federated_doc(), "fl.json"));
  check_rounds_match_closed_form(r, 0.332 + 1.0 + 0.332 + 0.001);
  const auto& f = r.federated.at(0);
  CHECK(f.download_bytes == 5 * 10 * 4e6);
  CHECK(f.upload_bytes == 5 * 10 * 4e6);
  CHECK(f.across_sites_bytes == 2 * 5 * 10 * 4e6);
  CHECK(f.accepted == 50);
  CHECK(f.clients_participating == 10);
}

TEST_CASE("hierarchical rounds through edge aggregators match their closed form and keep client bytes in the site")
{
  auto doc = federated_doc();
  doc["platform"]["sites"][0]["nodes"].push_back({{"name", "gw"}, {"speed", "4Gf"}, {"cores", 2}});
  doc["workload"]["federated"][0]["clients"]          = {"edge.phone"};
  doc["workload"]["federated"][0]["edge_aggregators"] = {"edge.gw"};
  const auto s   = models::parse_scenario(doc, "fl.json");
  const auto& job = s.workload.federated[0];
  const models::Topology t(s.platform);
  const auto p = models::predict_federated_round(s, t, models::network_params(s.network), job,
                                                 models::representative_sample(job));
  // The model reaches the gateway through its 12.5 MB/s access link (0.332 s), then ten phones share
  // that link's other direction (3.202 s).
  CHECK(p.download == doctest::Approx(0.012 + 4e6 / 12.5e6 + 0.002 + 10 * 4e6 / 12.5e6));
  const auto r = sim::run_simulation(s);
  check_rounds_match_closed_form(r, p.round);
  const auto& f = r.federated.at(0);
  CHECK(f.forward_bytes == 5 * 4e6);
  CHECK(f.within_site_bytes == 2 * 5 * 10 * 4e6);  // downloads and uploads between phones and gateway
  CHECK(f.across_sites_bytes == 2 * 5 * 4e6);       // one model down, one partial sum up, per round
}

TEST_CASE("an edge aggregator on a fast link sends the model to each sampled phone at the phone's own link rate")
{
  // Phones behind 50 Mb/s links, their gateway on 1 Gb/s; seven sampled to keep five. Each phone's
  // download is bound by its own link: 2 ms + 4 MB / 6.25 MB/s = 0.642 s after the gateway has the
  // model (12 ms + 4 MB / 125 MB/s = 0.044 s). SimGrid 3.32 given a TCP window of 0 ended these
  // downloads far sooner (rounds of 1.94 s instead of 2.37 s), hence the ideal model's huge window.
  auto doc = federated_doc();
  doc["platform"]["sites"][0]["link"]["bandwidth"] = "50Mbps";
  doc["platform"]["sites"][0]["nodes"].push_back(
      {{"name", "gw"}, {"speed", "4Gf"}, {"cores", 2}, {"link", {{"bandwidth", "1Gbps"}, {"latency", "1ms"}}}});
  auto& f               = doc["workload"]["federated"][0];
  f["clients"]          = {"edge.phone"};
  f["edge_aggregators"] = {"edge.gw"};
  f["clients_per_round"] = 5;
  f["over_commit"]       = 1.3;
  const auto s    = models::parse_scenario(doc, "fl.json");
  const auto& job = s.workload.federated[0];
  const models::Topology t(s.platform);
  const auto p = models::predict_federated_round(s, t, models::network_params(s.network), job,
                                                 models::representative_sample(job));
  CHECK(p.sampled == 7);
  CHECK(p.download == doctest::Approx(0.044 + 0.642));
  CHECK(p.upload == doctest::Approx(0.642));
  check_rounds_match_closed_form(sim::run_simulation(s), p.round);
}

TEST_CASE("secure aggregation's rounds follow the closed form and move the bytes Bonawitz et al. count")
{
  auto doc = federated_doc();
  doc["workload"]["federated"][0]["privacy"] = {{"secure_aggregation", models::Json::object()}};
  const auto s   = models::parse_scenario(doc, "fl.json");
  const auto& job = s.workload.federated[0];
  const models::Topology t(s.platform);
  const auto p = models::predict_federated_round(s, t, models::network_params(s.network), job,
                                                 models::representative_sample(job));
  const auto r = sim::run_simulation(s);
  check_rounds_match_closed_form(r, p.round);
  const auto c  = models::secure_aggregation_cost(*job.privacy.secure_aggregation, 10, 1e6);
  const auto& f = r.federated.at(0);
  // Per round: ten masked inputs up, and everything else of the protocol as counted per client.
  CHECK(f.upload_bytes == doctest::Approx(5 * 10 * c.up_bytes[models::masked_input]));
  CHECK(f.secagg_bytes == doctest::Approx(5 * 10 * (c.client_bytes - c.up_bytes[models::masked_input])));
  CHECK(f.secagg_flops == doctest::Approx(5 * (10 * (c.client_setup_flops + c.client_mask_flops) + c.server_flops)));
  // Each client and round: its download, four messages up and three down (the survivor list among them,
  // which the paper does not count in bytes).
  CHECK(f.messages == 5 * (10 + 10 * 4 + 10 * 3));
}

TEST_CASE("waiting for the first K of an over-committed sample is faster than waiting for all with stragglers")
{
  // Two of the ten phones are ten times slower: they take 10 s to train instead of 1 s.
  auto doc = federated_doc();
  doc["platform"]["sites"][0]["nodes"] = models::Json::parse(
      R"([{"name": "phone", "count": 8, "speed": "1Gf"}, {"name": "slow", "count": 2, "speed": "100Mf"}])");
  auto& f                = doc["workload"]["federated"][0];
  f["clients_per_round"] = 8;
  f["over_commit"]       = 1.25;
  f["wait_for"]          = "first_k";
  const auto first_k     = sim::run_simulation(models::parse_scenario(doc, "fl.json"));
  const auto& a          = first_k.federated.at(0);
  CHECK(a.rounds_completed == 5);
  CHECK(a.rounds.front().sampled == 10);
  CHECK(a.rounds.front().accepted == 8);
  CHECK(a.round_time.max == doctest::Approx(0.332 + 1.0 + 0.332 + 0.0008).epsilon(0.01));
  CHECK(a.discarded == 2);       // the stragglers of the first round finish after it and are ignored
  CHECK(a.wasted_flops == 2e9);
  CHECK(first_k.tasks_completed == first_k.tasks_submitted);
  // Waiting for all sampled clients costs the stragglers' 10 s in every round that samples them.
  const double all_round = 0.332 + 10.0 + 0.332 + 0.001;
  CHECK(a.end - a.start < 5 * all_round / 5);
}

TEST_CASE("clients whose node fails drop out, the round goes on without them and every task is accounted for")
{
  auto doc      = federated_doc();
  doc["faults"] = models::Json::parse(R"({"detection": {"heartbeat": "1s", "timeout": "3s"},
                                           "events": [{"target": "edge.phone-3", "down": "0.5s", "up": "6s"}]})");
  const auto r  = sim::run_simulation(models::parse_scenario(doc, "fl.json"));
  const auto& f = r.federated.at(0);
  CHECK(f.rounds_completed == 5);
  CHECK(f.rounds.front().dropped == 1);
  CHECK(f.rounds.front().accepted == 9);
  // The round waits for all its clients: the failed one is known only once its heartbeats have been
  // missing for the 3 s timeout (the last came at 0 s).
  CHECK(f.rounds.front().end > 3.0);
  CHECK(f.rounds.front().end < 0.5 + 4.0 + 0.332 + 0.01);
  CHECK(r.faults.lost == 1);
  CHECK(r.faults.submitted == r.faults.completed + r.faults.lost + r.faults.rejected);
}

TEST_CASE("a round deadline cuts stragglers and the round ends at the deadline plus aggregation")
{
  auto doc = federated_doc();
  doc["platform"]["sites"][0]["nodes"] = models::Json::parse(
      R"([{"name": "phone", "count": 8, "speed": "1Gf"}, {"name": "slow", "count": 2, "speed": "100Mf"}])");
  doc["workload"]["federated"][0]["deadline"] = "3s";
  const auto r  = sim::run_simulation(models::parse_scenario(doc, "fl.json"));
  const auto& f = r.federated.at(0);
  CHECK(f.rounds.front().accepted == 8);
  CHECK(f.rounds.front().end - f.rounds.front().start == doctest::Approx(3.0 + 8 * 1e6 / 10e9));
  CHECK(f.rounds.front().predicted == doctest::Approx(3.0 + 8 * 1e6 / 10e9));
}

TEST_CASE("a DP budget that is spent stops the rounds, or flags them")
{
  // sigma = 1 per round: RDP gives epsilon 7.79 after two rounds and 9.82 after three (delta 1e-5).
  auto doc = federated_doc();
  doc["workload"]["federated"][0]["privacy"] = models::Json::parse(
      R"({"dp": {"mechanism": "gaussian", "sigma": 1, "budget": {"epsilon": 8, "delta": 1e-5}}})");
  const auto stopped = sim::run_simulation(models::parse_scenario(doc, "fl.json"));
  const auto& s      = stopped.federated.at(0);
  CHECK(s.rounds_completed == 2);
  CHECK(s.rounds_not_run == 3);
  CHECK(s.releases == 2);
  CHECK(s.budget_exhausted);
  CHECK(s.epsilon_spent == doctest::Approx(1 + 2 * std::sqrt(std::log(1e5))));
  CHECK(s.epsilon_spent <= 8);
  CHECK(s.budget_exhausted_at == doctest::Approx(s.end));
}

TEST_CASE("a flagged DP budget lets the rounds run and counts those beyond it")
{
  auto doc = federated_doc();
  doc["workload"]["federated"][0]["privacy"] = models::Json::parse(
      R"({"dp": {"mechanism": "gaussian", "sigma": 1,
                 "budget": {"epsilon": 8, "delta": 1e-5, "on_exhausted": "flag"}}})");
  const auto r  = sim::run_simulation(models::parse_scenario(doc, "fl.json"));
  const auto& f = r.federated.at(0);
  CHECK(f.rounds_completed == 5);
  CHECK(f.over_budget_rounds == 3);
  CHECK(f.epsilon_spent == doctest::Approx(2.5 + 2 * std::sqrt(2.5 * std::log(1e5))));
  CHECK(f.epsilon_spent > 8);
}

TEST_CASE("a stream whose sensors spend their DP budget withholds their later readings")
{
  // Periodic: each of 100 sensors reports once a second for 20 s; the budget allows 5 readings.
  auto doc = test::poisson_stream(2, 1, 1e9, 100, 1e6, 20);
  doc["workload"]["groups"][0]["arrival"] = "periodic";
  doc["workload"]["groups"][0]["sensors"] = 100;
  doc["workload"]["groups"][0]["rate"]    = 1;
  doc["workload"]["groups"][0]["privacy"] = models::Json::parse(
      R"({"dp": {"mechanism": "laplace", "epsilon": 0.2, "values": 5, "noise_flops": 200,
                 "budget": {"epsilon": 1, "accounting": "basic"}}})");
  const auto r = sim::run_simulation(models::parse_scenario(doc, "dp.json"));
  const auto& p = r.group_privacy.at(0);
  CHECK(r.readings == 2000);
  CHECK(p.released == 500);
  CHECK(p.withheld == 1500);
  CHECK(p.max_releases == 5);
  CHECK(p.sensors_exhausted == 100);
  CHECK(p.budget_exhausted_at == doctest::Approx(5.0).epsilon(0.01));
  CHECK(r.tasks_submitted == 500);
  CHECK(r.tasks_completed == 500);
  CHECK(r.nodes[0].flops_done + r.nodes[1].flops_done == doctest::Approx(500 * (1e6 + 1000)));
}

TEST_CASE("MPC on a stream sends a share of each reading to every party and pays a round trip per layer")
{
  const auto s = test::scenario_from(R"({
    "name": "mpc", "seed": 5, "network": {"model": "ideal"},
    "platform": {
      "sites": [{"name": "f", "count": 3, "link": {"bandwidth": "1Gbps", "latency": "0.5ms"},
                 "nodes": [{"name": "pc", "speed": "2Gf", "cores": 4}]}],
      "links": [{"between": ["f-0", "f-1"], "bandwidth": "1Gbps", "latency": "10ms"},
                {"between": ["f-1", "f-2"], "bandwidth": "1Gbps", "latency": "10ms"},
                {"between": ["f-0", "f-2"], "bandwidth": "1Gbps", "latency": "10ms"}]},
    "workload": {"duration": "10s", "groups": [
      {"name": "qc", "site": "f-0", "sensors": 1, "rate": 1, "flops": "2Mf", "bytes": "8kB",
       "privacy": {"mpc": {"parties": ["f-0", "f-1", "f-2"], "multiplications": 400, "depth": 4}}}]}
  })");
  const auto r = sim::run_simulation(s);
  CHECK(r.readings == 10);
  CHECK(r.groups[0].jobs_completed == 10);
  // Per reading: 3 shares of 8 kB, 4 rounds of openings between 6 ordered pairs (2 x 100 x 8 B
  // each), and 2 output shares of 8 B.
  CHECK(r.bytes_moved == doctest::Approx(10 * (3 * 8000 + 4 * 6 * 1600 + 2 * 8)));
  // The shares leave f-0's switch for the other factories (10.5 ms), then each of the four rounds of
  // openings and the output crosses a 10 ms link between two factories' nodes (11 ms): 65.5 ms, plus
  // about 1 ms of computation.
  CHECK(r.latency.min > 10.5e-3 + 5 * 11e-3);
  CHECK(r.latency.max < 10.5e-3 + 5 * 11e-3 + 2e-3);
}
