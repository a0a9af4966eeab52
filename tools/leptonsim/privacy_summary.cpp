#include "tools/leptonsim/privacy_summary.hpp"
#include "tools/leptonsim/results_writer.hpp"

#include "models/federated.hpp"
#include "models/network_model.hpp"
#include "models/topology.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace leptonsim::cli {
namespace {

using models::Json;

uint64_t protocol_clients(const models::FederatedJob& job)
{
  if (!job.hierarchical())
    return job.clients_per_round;
  std::vector<bool> used(job.edge_aggregators.size(), false);
  for (size_t e : job.client_edge)
    used[e] = true;
  const auto edges = static_cast<uint64_t>(std::count(used.begin(), used.end(), true));
  return (job.clients_per_round + edges - 1) / edges;
}

Json nullable(double v) { return v >= 0 ? Json(v) : Json(nullptr); }

Json rel_error(double simulated, double predicted)
{
  if (predicted <= 0)
    return Json(nullptr);
  return Json((simulated - predicted) / predicted);
}

Json mechanism_entry(const models::DpSpec& dp)
{
  const auto& m = dp.mechanism;
  Json e{{"mechanism", models::to_string(m.kind)},
         {"sensitivity", m.sensitivity},
         {"values", m.values},
         {"noise_flops", m.flops()},
         {"epsilon_budget", dp.budget.epsilon},
         {"delta_budget", dp.budget.delta},
         {"accounting", models::to_string(dp.budget.accounting)},
         {"on_exhausted", models::to_string(dp.budget.on_exhausted)},
         {"releases_allowed", dp.releases_allowed}};
  if (m.kind == models::DpMechanismKind::laplace) {
    e["epsilon_per_release"] = m.epsilon;
    e["scale"]               = m.scale();
  } else {
    e["sigma"] = m.sigma;
  }
  return e;
}

Json he_entry(const models::HeScheme& he)
{
  return Json{{"scheme", he.name},           {"expansion", he.expansion},         {"slowdown", he.slowdown},
              {"add_slowdown", he.add_slowdown}, {"encrypt_flops_per_value", he.encrypt_flops},
              {"decrypt_flops_per_value", he.decrypt_flops}};
}

}  // namespace

Json federated_entry(const models::Scenario& scenario, const models::FederatedJob& job, const sim::FederatedResult& r)
{
  const auto& nodes = scenario.platform.nodes;
  const uint64_t sampled_per_round = job.sampled();
  const auto& p                    = r.first_round_prediction;
  double simulated_total           = 0;
  for (const auto& round : r.rounds)
    simulated_total += round.end - round.start;
  const double first_round = r.rounds.empty() ? 0.0 : r.rounds.front().end - r.rounds.front().start;
  const double total_bytes = r.download_bytes + r.upload_bytes + r.secagg_bytes + r.forward_bytes;
  Json entry{
      {"aggregator", nodes[job.aggregator].name},
      {"hierarchical", job.hierarchical()},
      {"clients", job.clients.size()},
      {"clients_per_round", job.clients_per_round},
      {"over_commit", job.over_commit},
      {"sampled_per_round", sampled_per_round},
      {"wait_for", job.wait_for == models::FlWaitFor::all ? "all" : "first_k"},
      {"deadline_s", job.deadline ? Json(*job.deadline) : Json(nullptr)},
      {"rounds", job.rounds},
      {"model_B", job.model_bytes()},
      {"rounds_completed", r.rounds_completed},
      {"rounds_failed", r.rounds_failed},
      {"rounds_not_run", r.rounds_not_run},
      {"start_s", r.start},
      {"end_s", r.end},
      {"total_time_s", r.end - r.start},
      {"round_time_s", distribution(r.round_time)},
      {"participation",
       {{"sampled", r.sampled},
        {"accepted", r.accepted},
        {"discarded", r.discarded},
        {"dropped", r.dropped},
        {"acceptance_rate", r.sampled ? static_cast<double>(r.accepted) / static_cast<double>(r.sampled) : 0.0},
        {"clients_participating", r.clients_participating},
        {"fraction_of_clients", job.clients.empty() ? 0.0
                                                    : static_cast<double>(r.clients_participating) /
                                                          static_cast<double>(job.clients.size())}}},
      {"bytes",
       {{"download_B", r.download_bytes},
        {"upload_B", r.upload_bytes},
        {"secure_aggregation_B", r.secagg_bytes},
        {"forward_B", r.forward_bytes},
        {"within_site_B", r.within_site_bytes},
        {"across_sites_B", r.across_sites_bytes},
        {"total_B", total_bytes}}},
      {"messages", r.messages},
      {"flops",
       {{"training", r.training_flops},
        {"wasted", r.wasted_flops},
        {"secure_aggregation", r.secagg_flops},
        {"aggregation", r.aggregation_flops}}},
      {"model",
       {{"sampled", p.sampled},
        {"included", p.included},
        {"download_s", p.download},
        {"compute_s", p.compute},
        {"upload_s", p.upload},
        {"secure_aggregation_s", p.secure_aggregation},
        {"edge_s", p.edge},
        {"aggregation_s", p.aggregation},
        {"round_s", p.round},
        {"total_s", r.predicted_total},
        {"round_rel_error", rel_error(first_round, p.round)},
        {"total_rel_error", rel_error(simulated_total, r.predicted_total)}}}};
  Json privacy = Json::object();
  if (const auto& dp = job.privacy.dp) {
    Json d                  = mechanism_entry(*dp);
    d["releases"]           = r.releases;
    d["epsilon_spent"]      = r.epsilon_spent;
    d["delta_spent"]        = r.delta_spent;
    d["exhausted"]          = r.budget_exhausted;
    d["exhausted_at_s"]     = nullable(r.budget_exhausted_at);
    d["over_budget_rounds"] = r.over_budget_rounds;
    d["stopped"]            = r.rounds_not_run > 0;
    privacy["dp"]           = d;
  }
  if (const auto& sa = job.privacy.secure_aggregation) {
    // The protocol runs among the clients of one collector: K, or K's share at each edge aggregator.
    const uint64_t n = protocol_clients(job);
    const auto cost  = models::secure_aggregation_cost(*sa, n, job.parameters);
    privacy["secure_aggregation"] = {{"clients", n},
                                     {"threshold", cost.threshold},
                                     {"client_B", cost.client_bytes},
                                     {"server_B", cost.server_bytes},
                                     {"messages", cost.messages},
                                     {"masked_value_bits", cost.masked_value_bits},
                                     {"client_flops", cost.client_setup_flops + cost.client_mask_flops},
                                     {"server_flops", cost.server_flops}};
  }
  if (const auto& he = job.privacy.he)
    privacy["he"] = he_entry(*he);
  if (const auto& mpc = job.privacy.mpc)
    privacy["mpc"] = {{"parties", mpc->parties}};
  entry["privacy"] = privacy;
  return entry;
}

Json group_privacy_entry(const models::SensorGroup& g, const sim::StreamPrivacyResult& r)
{
  const auto& pv = g.privacy;
  Json e{{"plain_flops", pv.plain_flops},
         {"plain_bytes_B", pv.plain_bytes},
         {"released", r.released},
         {"withheld", r.withheld}};
  if (!pv.mpc) {
    e["flops_per_reading"]   = g.work.mean;
    e["bytes_per_reading_B"] = g.bytes;
  }
  if (const auto& dp = pv.dp) {
    Json d                        = mechanism_entry(*dp);
    const auto spent              = models::privacy_spent(dp->mechanism, r.max_releases, dp->budget);
    d["over_budget"]              = r.over_budget;
    d["max_releases_per_sensor"]  = r.max_releases;
    d["sensors_exhausted"]        = r.sensors_exhausted;
    d["epsilon_spent"]            = spent.epsilon;
    d["delta_spent"]              = spent.delta;
    d["exhausted_at_s"]           = nullable(r.budget_exhausted_at);
    e["dp"]                       = d;
  }
  if (const auto& he = pv.he) {
    Json h           = he_entry(*he);
    h["encrypt_flops"] = r.encrypt_flops;
    e["he"]          = h;
  }
  if (const auto& mpc = pv.mpc) {
    const auto cost = models::mpc_cost(*mpc, pv.plain_bytes, pv.plain_flops);
    e["mpc"] = {{"parties", mpc->parties},
                {"multiplications", mpc->multiplications},
                {"depth", mpc->depth},
                {"rounds", cost.rounds},
                {"input_B", cost.input_bytes},
                {"online_B", cost.online_bytes},
                {"output_B", cost.output_bytes},
                {"messages", cost.messages},
                {"party_flops", cost.party_flops}};
  }
  return e;
}

std::string federated_csv(const models::Scenario& scenario, const sim::RunResult& r)
{
  std::string out = "job,round,start_s,end_s,duration_s,sampled,accepted,discarded,dropped,failed,predicted_s\n";
  for (size_t j = 0; j < r.federated.size(); ++j)
    for (const auto& round : r.federated[j].rounds)
      fmt::format_to(std::back_inserter(out), "{},{},{},{},{},{},{},{},{},{},{}\n",
                     scenario.workload.federated[j].name, round.round, round.start, round.end,
                     round.end - round.start, round.sampled, round.accepted, round.discarded, round.dropped,
                     round.failed ? 1 : 0, round.predicted);
  return out;
}

void print_federated_model(std::ostream& out, const models::Scenario& scenario, const sim::RunResult* result)
{
  const models::Topology topology(scenario.platform);
  const auto net = models::network_params(scenario.network);
  for (size_t j = 0; j < scenario.workload.federated.size(); ++j) {
    const auto& job = scenario.workload.federated[j];
    const auto p    = result ? result->federated[j].first_round_prediction
                             : models::predict_federated_round(scenario, topology, net, job,
                                                               models::representative_sample(job));
    fmt::print(out, "\n  federated {} ({} of {} clients per round, {} sampled, wait for {}{}; {} rounds{})\n",
               job.name, job.clients_per_round, job.clients.size(), job.sampled(),
               job.wait_for == models::FlWaitFor::all ? "all" : "the first K",
               job.deadline ? fmt::format(", deadline {} s", *job.deadline) : std::string(), job.rounds,
               job.hierarchical() ? ", hierarchical" : "");
    fmt::print(out, "    model {:.6g} B; training {:.6g} flop per client\n", job.model_bytes(),
               models::fl_client_flops(job));
    fmt::print(out, "    round = download {:.6g} + compute {:.6g} + secure aggregation {:.6g} + upload {:.6g} + edge "
                    "{:.6g} + aggregation {:.6g} = {:.6g} s{}\n",
               p.download, p.compute, p.secure_aggregation, p.upload, p.edge, p.aggregation, p.round,
               result ? "" : fmt::format("; {} rounds: {:.6g} s", job.rounds, job.rounds * p.round));
    if (result) {
      const auto& r = result->federated[j];
      const double first = r.rounds.empty() ? 0.0 : r.rounds.front().end - r.rounds.front().start;
      fmt::print(out, "    simulated: first round {:.6g} s, mean {:.6g} s; total {:.6g} s for {} rounds ({} failed, {} "
                      "not run); closed form total {:.6g} s\n",
                 first, r.round_time.mean, r.end - r.start, r.rounds_completed, r.rounds_failed, r.rounds_not_run,
                 r.predicted_total);
      fmt::print(out, "    updates: {} sampled, {} accepted, {} discarded, {} dropped; {} of {} clients took part\n",
                 r.sampled, r.accepted, r.discarded, r.dropped, r.clients_participating, job.clients.size());
      fmt::print(out, "    bytes: {:.6g} within sites, {:.6g} across sites\n", r.within_site_bytes,
                 r.across_sites_bytes);
    }
    if (const auto& dp = job.privacy.dp) {
      const auto all = models::privacy_spent(dp->mechanism, static_cast<uint64_t>(job.rounds), dp->budget);
      fmt::print(out, "    DP ({}, {} accounting): budget epsilon {} at delta {}; {} rounds fit; {} rounds spend "
                      "epsilon {:.4g}{}\n",
                 models::to_string(dp->mechanism.kind), models::to_string(dp->budget.accounting), dp->budget.epsilon,
                 dp->budget.delta, dp->releases_allowed, job.rounds, all.epsilon,
                 result && result->federated[j].rounds_not_run > 0
                     ? fmt::format(" -> stopped after {} rounds", result->federated[j].releases)
                     : std::string());
    }
    if (const auto& sa = job.privacy.secure_aggregation) {
      const uint64_t n = protocol_clients(job);
      const auto c     = models::secure_aggregation_cost(*sa, n, job.parameters);
      fmt::print(out, "    secure aggregation with n = {}: {:.6g} B per client, {:.6g} B at the server, {} messages\n",
                 n, c.client_bytes, c.server_bytes, c.messages);
    }
  }
}

void print_group_privacy(std::ostream& out, const models::Scenario& scenario, const sim::RunResult& result)
{
  for (size_t g = 0; g < scenario.workload.groups.size(); ++g) {
    const auto& group = scenario.workload.groups[g];
    if (!group.privacy.any())
      continue;
    const auto& r = result.group_privacy[g];
    fmt::print(out, "    privacy of {}: {} readings released, {} withheld", group.name, r.released, r.withheld);
    if (const auto& dp = group.privacy.dp) {
      const auto spent = models::privacy_spent(dp->mechanism, r.max_releases, dp->budget);
      fmt::print(out, "; DP budget {} allows {} readings per sensor, epsilon spent {:.4g}{}", dp->budget.epsilon,
                 dp->releases_allowed, spent.epsilon,
                 r.budget_exhausted_at >= 0 ? fmt::format(", first exhausted at {:.6g} s", r.budget_exhausted_at)
                                            : std::string());
    }
    fmt::print(out, "\n");
  }
}

}  // namespace leptonsim::cli
