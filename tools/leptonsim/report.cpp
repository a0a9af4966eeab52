#include "tools/leptonsim/report.hpp"

#include "models/cost_model.hpp"
#include "models/network_model.hpp"
#include "models/topology.hpp"
#include "tools/leptonsim/privacy_summary.hpp"
#include "tools/leptonsim/results_writer.hpp"

#include <leptonsim/version.hpp>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <cmath>
#include <vector>

namespace leptonsim::cli {
namespace {

std::string percent(double relative)
{
  if (!std::isfinite(relative))
    return "n/a";
  return fmt::format("{:+.2f}%", 100.0 * relative);
}

std::string ms(double seconds) { return fmt::format("{:.4g}", seconds * 1e3); }

void print_header(std::ostream& out, const models::Scenario& scenario)
{
  const auto net = models::network_params(scenario.network);
  fmt::print(out, "leptonsim {} | scenario {} | seed {} | network {} (SimGrid {}, latency x{}, bandwidth x{}{})\n",
             leptonsim::version, scenario.name, scenario.seed, models::to_string(scenario.network.model),
             net.simgrid_model, net.latency_factor, net.bandwidth_factor,
             net.tcp_gamma > 0 ? fmt::format(", TCP window {} B", net.tcp_gamma) : std::string(", no TCP window"));
}

void print_job_model(std::ostream& out, const models::BatchJob& job, const models::BatchPrediction& p,
                     const sim::JobResult* simulated)
{
  fmt::print(out, "\n  job {} ({}, {} eligible nodes, {} chunks, S = {} rounds of {} B)\n", job.name,
             models::to_string(job.policy.kind), p.eligible_nodes, job.chunks, job.rounds, job.round_bytes);
  fmt::print(out, "    T = {} units, sum C_i = {:.6g} units/s, eta = {} ms per round\n", job.units, p.total_capacity,
             ms(p.eta));
  auto line = [&](const char* name, double predicted) {
    if (simulated)
      fmt::print(out, "    {:<34} {:>14.6g} s   simulated {:.6g} s ({})\n", name, predicted, simulated->makespan,
                 percent(models::relative_error(simulated->makespan, predicted)));
    else
      fmt::print(out, "    {:<34} {:>14.6g} s\n", name, predicted);
  };
  line("balanced  T/sum(C) + S*eta", p.balanced);
  line("literal   N*T/sum(C) + S*eta", p.literal);
  line("refined   max(load_i/C_i) + S*eta", p.refined);
  if (p.distribution > 0)
    fmt::print(out, "    input distribution alone (outside the seed's model): {:.6g} s\n", p.distribution);
  if (simulated && job.rounds > 0)
    fmt::print(out, "    sharing round: {} ms simulated (mean), {} ms on idle links\n", ms(simulated->eta_measured),
               ms(p.eta));
  if (job.printed) {
    // The seed document plugs capacities per second and eta in milliseconds into one sum.
    const double mixed = static_cast<double>(p.eligible_nodes) * job.units / p.total_capacity + job.rounds * p.eta * 1e3;
    fmt::print(out, "    printed by {}: {} {}\n", job.printed->source, job.printed->value, job.printed->unit);
    fmt::print(out, "      its own arithmetic, N*T/sum(C) + S*eta with eta in ms: {:.6g} (mixes seconds and ms)\n",
               mixed);
    fmt::print(out, "      in consistent units: literal {:.6g} s, balanced {:.6g} s\n", p.literal, p.balanced);
  }
}

void print_stream_model(std::ostream& out, const models::Scenario& scenario, const models::StreamPrediction& p)
{
  fmt::print(out, "\n  stream: {} groups, {:.6g} readings/s offered for {:.6g} s ({:.6g} tasks expected)\n",
             scenario.workload.groups.size(), p.arrival_rate, scenario.workload.duration, p.expected_tasks);
  fmt::print(out, "    utilisation rho = offered / capacity = {:.4g} / {:.4g} flop/s = {:.4f} overall, {:.4f} at worst"
                  " -> {}\n",
             p.offered, p.capacity, p.rho_total, p.rho_max, p.stable ? "stable" : "UNSTABLE (backlog grows)");
  fmt::print(out, "    seed formula on all readings, T/sum(C): {:.6g} s (arrivals last {:.6g} s)\n", p.seed_balanced,
             scenario.workload.duration);
  double bound = 0;
  for (double b : p.group_min_latency)
    bound = std::max(bound, b);
  fmt::print(out, "    latency lower bound (input on idle links + critical path, slowest group): {} ms\n", ms(bound));
}

}  // namespace

void print_validation(std::ostream& out, const models::Scenario& scenario)
{
  const auto& p = scenario.platform;
  size_t cores  = 0;
  for (size_t i = 0; i < p.compute_node_count(); ++i)
    cores += static_cast<size_t>(p.nodes[i].cores);
  const auto& w = scenario.workload;
  const std::string links = p.simgrid_xml.empty() ? fmt::format("{} backbone links", p.links.size())
                                                   : "links and routes of SimGrid file " + p.simgrid_xml;
  fmt::print(out, "{}: ok: {} sites, {} compute nodes ({} cores){}, {}; {} sensor groups, {} batch jobs, "
                  "{} DAG templates",
             scenario.file, p.sites.size(), p.compute_node_count(), cores, p.qpu ? ", a QPU" : "", links,
             w.groups.size(), w.jobs.size(), w.dags.size());
  if (w.has_federated())
    fmt::print(out, ", {} federated jobs", w.federated.size());
  fmt::print(out, "; {} expectations\n", scenario.expect.size());
}

void print_model_report(std::ostream& out, const models::Scenario& scenario)
{
  print_header(out, scenario);
  const models::Topology topology(scenario.platform);
  const auto net = models::network_params(scenario.network);
  for (const auto& job : scenario.workload.jobs)
    print_job_model(out, job,
                    models::predict_batch(scenario, topology, net, job, models::static_assignment(scenario, job)),
                    nullptr);
  if (scenario.workload.has_streams())
    print_stream_model(out, scenario, models::predict_stream(scenario, topology, net));
  print_federated_model(out, scenario, nullptr);
}

void print_run_report(std::ostream& out, const models::Scenario& scenario, const sim::RunResult& r,
                      double wall_seconds, const std::string& results_dir)
{
  print_header(out, scenario);
  fmt::print(out, "simulated {:.6g} s: {} tasks completed of {} submitted, in {:.3g} s of wall time ({:.3g} tasks/s)\n",
             r.end_time, r.tasks_completed, r.tasks_submitted, wall_seconds,
             wall_seconds > 0 ? static_cast<double>(r.tasks_completed) / wall_seconds : 0.0);
  for (size_t j = 0; j < scenario.workload.jobs.size(); ++j)
    print_job_model(out, scenario.workload.jobs[j], r.jobs[j].prediction, &r.jobs[j]);
  if (scenario.workload.has_streams()) {
    const auto& p = r.stream_prediction;
    print_stream_model(out, scenario, p);
    const double duration = scenario.workload.duration;
    fmt::print(out, "\n  simulated: {} readings; throughput {:.6g} tasks/s during arrivals; end {:.6g} s (drain {:.4g} s)\n",
               r.readings, duration > 0 ? static_cast<double>(r.readings) / duration : 0.0, r.end_time, r.drain_time);
    fmt::print(out, "    latency ms: mean {}  p50 {}  p95 {}  p99 {}  max {}\n", ms(r.latency.mean), ms(r.latency.p50),
               ms(r.latency.p95), ms(r.latency.p99), ms(r.latency.max));
    fmt::print(out, "    backlog growth {:.4g} tasks/s over the second half of the arrivals -> {}\n", r.backlog_growth,
               r.overloaded ? "OVERLOADED" : "not overloaded");
    fmt::print(out, "    seed formula T/sum(C) vs simulated end: {}\n",
               percent(models::relative_error(r.end_time, p.seed_balanced)));
    if (r.deadline.jobs > 0)
      fmt::print(out, "    deadlines: {} of {} jobs late ({:.3g}%), mean lateness {} ms\n", r.deadline.missed,
                 r.deadline.jobs, 100.0 * static_cast<double>(r.deadline.missed) / static_cast<double>(r.deadline.jobs),
                 ms(r.deadline.lateness.mean));
    print_group_privacy(out, scenario, r);
  }
  print_federated_model(out, scenario, &r);
  const models::CostBreakdown cost = run_costs(scenario, r);
  const double tasks = static_cast<double>(r.tasks_completed);
  const std::string& currency = scenario.prices.currency;
  fmt::print(out, "\n  energy {:.4g} kWh ({:.4g} J per task); cost of the period {:.4g} {} ({:.4g} {} per million tasks)\n",
             r.energy / models::joules_per_kWh, tasks > 0 ? r.energy / tasks : 0.0, cost.total, currency,
             tasks > 0 ? cost.total / tasks * 1e6 : 0.0, currency);
  fmt::print(out, "\nresults: {}\n", results_dir);
}

bool print_check(std::ostream& out, const std::vector<models::ExpectationResult>& results)
{
  size_t failed = 0;
  for (const auto& r : results) {
    const auto& e = *r.expectation;
    std::vector<std::string> bounds;
    if (e.min)
      bounds.push_back(fmt::format(">= {}", *e.min));
    if (e.max)
      bounds.push_back(fmt::format("<= {}", *e.max));
    if (e.equals)
      bounds.push_back("== " + e.equals->dump());
    std::string bound;
    for (const auto& b : bounds)
      bound += (bound.empty() ? "" : " and ") + b;
    fmt::print(out, "  {} {} = {} (expected {}){}\n", r.passed ? "ok  " : "FAIL", e.metric, r.actual, bound,
               r.passed ? "" : ": " + r.detail);
    if (!r.passed)
      ++failed;
  }
  fmt::print(out, "check: {} of {} expectations hold\n", results.size() - failed, results.size());
  return failed == 0;
}

}  // namespace leptonsim::cli
