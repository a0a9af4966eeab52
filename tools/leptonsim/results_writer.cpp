#include "tools/leptonsim/results_writer.hpp"

#include "models/network_model.hpp"
#include "models/rng.hpp"
#include "sim/simulation.hpp"
#include "tools/leptonsim/privacy_summary.hpp"

#include <leptonsim/version.hpp>

#include <fmt/format.h>

#include <cstdio>
#include <fstream>
#include <cerrno>
#include <signal.h>
#include <unistd.h>

namespace leptonsim::cli {
namespace {

using models::Json;

// Relative errors are written as numbers; an undefined one (prediction 0) as null.
Json error_value(double simulated, double predicted)
{
  const double e = models::relative_error(simulated, predicted);
  return std::isfinite(e) ? Json(e) : Json(nullptr);
}

Json utilisation(const models::Scenario& scenario, const sim::RunResult& r)
{
  double sum = 0, lo = 0, hi = 0;
  size_t n = 0;
  for (size_t i = 0; i < scenario.platform.nodes.size(); ++i) {
    if (scenario.platform.nodes[i].kind == models::NodeKind::qpu)
      continue;
    const double u = r.nodes[i].utilisation;
    lo             = n == 0 ? u : std::min(lo, u);
    hi             = n == 0 ? u : std::max(hi, u);
    sum += u;
    ++n;
  }
  const double mean = n ? sum / static_cast<double>(n) : 0.0;
  return Json{{"mean", mean}, {"min", lo}, {"max", hi}, {"imbalance", mean > 0 ? hi / mean : 0.0}};
}

Json stream_model(const models::Scenario& scenario, const sim::RunResult& r)
{
  const auto& p = r.stream_prediction;
  const double predicted_throughput =
      p.offered > 0 ? p.arrival_rate * std::min(1.0, p.capacity / p.offered) : 0.0;
  Json sets = Json::array();
  for (const auto& s : p.sets) {
    Json nodes = Json::array();
    for (size_t n : s.nodes)
      nodes.push_back(scenario.platform.nodes[n].name);
    sets.push_back({{"nodes", nodes}, {"offered_flops_per_s", s.offered}, {"capacity_flops_per_s", s.capacity},
                    {"rho", s.rho}});
  }
  double lower_bound = 0;
  for (double l : p.group_min_latency)
    lower_bound = std::max(lower_bound, l);
  const double duration = scenario.workload.duration;
  return Json{{"rho", p.rho_total},
              {"rho_max", p.rho_max},
              {"stable", p.stable},
              {"arrival_rate_per_s", p.arrival_rate},
              {"task_rate_per_s", r.task_rate},
              {"offered_flops_per_s", p.offered},
              {"capacity_flops_per_s", p.capacity},
              {"throughput_per_s", predicted_throughput},
              {"expected_tasks", p.expected_tasks},
              {"seed_balanced_s", p.seed_balanced},
              {"seed_balanced_rel_error", error_value(r.end_time, p.seed_balanced)},
              {"arrival_bound_s", duration},
              {"latency_lower_bound_s", lower_bound},
              {"target_sets", sets}};
}

Json job_entry(const models::Scenario& scenario, const models::BatchJob& job, const sim::JobResult& r)
{
  const auto& p = r.prediction;
  Json chunks   = Json::object();
  for (size_t i = 0; i < job.nodes.size(); ++i)
    chunks[scenario.platform.nodes[job.nodes[i]].name] = r.chunks_per_node[i];
  Json entry{{"failed", r.failed},
             {"start_s", r.start},
             {"end_s", r.end},
             {"makespan_s", r.makespan},
             {"policy", models::to_string(job.policy.kind)},
             {"units", job.units},
             {"chunks", job.chunks},
             {"rounds", job.rounds},
             {"participants", r.participants},
             {"chunks_per_node", chunks},
             {"eta_measured_s", r.eta_measured},
             {"model",
              {{"eligible_nodes", p.eligible_nodes},
               {"capacity_units_per_s", p.total_capacity},
               {"eta_s", p.eta},
               {"compute_s", p.compute_balanced},
               {"bottleneck_compute_s", p.bottleneck_compute},
               {"balanced_s", p.balanced},
               {"literal_s", p.literal},
               {"refined_s", p.refined},
               {"distribution_s", p.distribution},
               {"balanced_rel_error", error_value(r.makespan, p.balanced)},
               {"literal_rel_error", error_value(r.makespan, p.literal)},
               {"refined_rel_error", error_value(r.makespan, p.refined)}}}};
  if (job.printed)
    entry["printed"] = {{"value", job.printed->value}, {"unit", job.printed->unit}, {"source", job.printed->source}};
  return entry;
}

Json deadline_entry(const sim::DeadlineResult& d)
{
  return Json{{"jobs", d.jobs},
              {"missed", d.missed},
              {"missed_after_failure", d.missed_after_failure},
              {"miss_rate", d.jobs ? static_cast<double>(d.missed) / static_cast<double>(d.jobs) : 0.0},
              {"lateness_s", distribution(d.lateness)},
              {"task_deadlines", d.task_deadlines},
              {"tasks_missed", d.tasks_missed}};
}


Json cost_entry(const models::Scenario& scenario, const sim::RunResult& r, const models::CostBreakdown& c)
{
  const double tasks = static_cast<double>(r.tasks_completed);
  return {{"currency", scenario.prices.currency},
          {"period_s", r.end_time},
          {"total", c.total},
          {"per_million_tasks", tasks > 0 ? c.total / tasks * 1e6 : 0.0},
          {"capital", c.capital},
          {"operating", c.operating},
          {"energy", c.energy},
          {"rented_cores", c.rented},
          {"qpu_time", c.device},
          {"egress", c.egress},
          {"egress_B", r.egress},
          {"energy_price_per_kWh", scenario.prices.energy_per_kWh},
          {"egress_price_per_GB", scenario.prices.egress_per_GB}};
}

Json faults_entry(const models::Scenario& scenario, const sim::RunResult& r)
{
  const auto& f = r.faults;
  double min_availability = 1, sum = 0;
  for (const auto& n : r.nodes) {
    min_availability = std::min(min_availability, n.availability);
    sum += n.availability;
  }
  const double mean_availability = r.nodes.empty() ? 1.0 : sum / static_cast<double>(r.nodes.size());
  return Json{{"detection", {{"heartbeat_s", scenario.faults.detection.period},
                             {"timeout_s", scenario.faults.detection.timeout}}},
              {"recovery", models::to_string(scenario.faults.recovery.strategy)},
              {"node_failures", f.node_failures},
              {"link_failures", f.link_failures},
              {"detections", f.detections},
              {"detection_delay_s", distribution(f.detection_delay)},
              {"submitted", f.submitted},
              {"completed", f.completed},
              {"lost", f.lost},
              {"rejected", f.rejected},
              {"retried", f.retried},
              {"jobs_lost", f.jobs_lost},
              {"wasted_flops", f.wasted_flops},
              {"duplicated_flops", f.duplicated_flops},
              {"recovery_time_s", distribution(f.recovery_time)},
              {"deadline_misses_after_failure", r.deadline.missed_after_failure},
              {"availability", {{"mean", mean_availability}, {"min", min_availability}}}};
}

std::string workload_kind(const models::Workload& w)
{
  std::string kind;
  for (const auto& [present, name] : {std::pair{w.has_streams(), "stream"}, std::pair{w.has_batch(), "batch"},
                                      std::pair{w.has_federated(), "federated"}})
    if (present)
      kind += (kind.empty() ? "" : "+") + std::string(name);
  return kind;
}

}  // namespace

Json distribution(const sim::Distribution& d)
{
  return Json{{"count", d.count}, {"mean", d.mean}, {"min", d.min}, {"p50", d.p50},
              {"p95", d.p95},     {"p99", d.p99},   {"max", d.max}};
}

models::CostBreakdown run_costs(const models::Scenario& scenario, const sim::RunResult& r)
{
  const auto& nodes = scenario.platform.nodes;
  std::vector<models::NodeCostSpec> specs;
  models::Usage usage;
  usage.period = r.end_time;
  usage.egress = r.egress;
  for (size_t i = 0; i < nodes.size(); ++i) {
    specs.push_back(nodes[i].cost);
    usage.energy.push_back(r.nodes[i].energy);
    usage.device_busy.push_back(r.nodes[i].busy_core_seconds);
  }
  return models::compute_costs(specs, scenario.prices, usage);
}

Json build_summary(const models::Scenario& scenario, const sim::RunResult& r)
{
  const models::Workload& w = scenario.workload;
  Json summary;
  summary["leptonsim_version"] = leptonsim::version;
  summary["simgrid_version"]   = sim::simgrid_version();
  const std::string file       = std::filesystem::path(scenario.file).filename().string();
  summary["scenario"] = {{"name", scenario.name},
                         {"file", file},
                         {"digest", fmt::format("{:016x}", models::fnv1a64(scenario.document.dump()))},
                         {"seed", scenario.seed},
                         {"workload", workload_kind(w)}};
  summary["network"] = {{"model", models::to_string(scenario.network.model)},
                        {"simgrid_model", r.network.simgrid_model},
                        {"latency_factor", r.network.latency_factor},
                        {"bandwidth_factor", r.network.bandwidth_factor},
                        {"tcp_gamma_B", r.network.tcp_gamma},
                        {"crosstraffic", r.network.crosstraffic}};

  Json metrics{{"end_time_s", r.end_time},
               {"tasks_submitted", r.tasks_submitted},
               {"tasks_completed", r.tasks_completed},
               {"throughput_per_s", r.end_time > 0 ? static_cast<double>(r.tasks_completed) / r.end_time : 0.0},
               {"latency_s", distribution(r.latency)},
               {"wait_s", distribution(r.wait)},
               {"transfer_s", distribution(r.transfer)},
               {"bytes_moved_B", r.bytes_moved},
               {"utilisation", utilisation(scenario, r)},
               {"energy_J", r.energy},
               {"energy_per_task_J", r.tasks_completed ? r.energy / static_cast<double>(r.tasks_completed) : 0.0}};
  if (w.has_streams()) {
    uint64_t sensors = 0, reporting = 0;
    for (size_t g = 0; g < r.groups.size(); ++g) {
      sensors += w.groups[g].sensors;
      reporting += r.groups[g].sensors_reporting;
    }
    metrics["readings"]             = r.readings;
    metrics["sensors"]              = sensors;
    metrics["sensors_reporting"]    = reporting;
    metrics["reading_rate_per_s"]   = w.duration > 0 ? static_cast<double>(r.readings) / w.duration : 0.0;
    metrics["backlog_growth_per_s"] = r.backlog_growth;
    metrics["backlog_at_end_of_arrivals_tasks"] = r.backlog_at_end_of_arrivals;
    metrics["drain_time_s"]         = r.drain_time;
    metrics["overloaded"]           = r.overloaded;
    metrics["deadline"]             = deadline_entry(r.deadline);
  }
  if (w.has_batch()) {
    double first = 0, last = 0;
    for (size_t j = 0; j < r.jobs.size(); ++j) {
      first = j == 0 ? r.jobs[j].start : std::min(first, r.jobs[j].start);
      last  = std::max(last, r.jobs[j].end);
    }
    metrics["makespan_s"] = last - first;
  }
  summary["metrics"] = metrics;
  summary["cost"]    = cost_entry(scenario, r, run_costs(scenario, r));
  summary["output"]  = {{"tasks_csv_every", r.task_log_every}, {"timeline_interval_s", r.timeline_interval}};
  if (scenario.faults.enabled)
    summary["faults"] = faults_entry(scenario, r);
  if (scenario.platform.qpu_spec.device) {
    const auto& q = r.quantum;
    const auto& d = *scenario.platform.qpu_spec.device;
    summary["quantum"] = {{"device", d.name},
                          {"qubits", d.qubits},
                          {"jobs", q.jobs},
                          {"busy_s", q.busy},
                          {"utilisation", r.end_time > 0 ? q.busy / r.end_time : 0.0},
                          {"mean_success_probability",
                           q.jobs ? q.success_probability_sum / static_cast<double>(q.jobs) : 0.0},
                          {"wait_s", distribution(r.qpu_wait)},
                          {"offloaded_to_qpu", q.offloaded_to_qpu},
                          {"offloaded_to_classical", q.offloaded_to_classical}};
  }
  if (!r.qkd.empty()) {
    Json qkd = Json::object();
    for (const auto& l : r.qkd) {
      // Over the span in which the link carried traffic: from the first transfer's request for
      // keys to the moment the last one had them.
      const double span = l.last_release - l.first_request;
      qkd[l.name] = {{"mode", l.mode},
                     {"key_rate_bps", l.key_rate},
                     {"key_consumed_b", l.key_consumed},
                     {"stall_s", l.stall},
                     {"encrypted_B", l.encrypted},
                     {"transfers", l.transfers},
                     {"rekeys", l.rekeys},
                     {"first_request_s", l.first_request},
                     {"last_release_s", l.last_release},
                     {"encrypted_throughput_Bps", span > 0 ? l.encrypted / span : 0.0}};
    }
    summary["qkd"] = qkd;
  }

  if (w.has_streams()) {
    summary["model"] = stream_model(scenario, r);
    Json groups      = Json::object();
    for (size_t g = 0; g < r.groups.size(); ++g) {
      const auto& spec = w.groups[g];
      const auto& gr   = r.groups[g];
      Json entry{{"site", scenario.platform.sites[spec.site].name},
                 {"sensors", spec.sensors},
                 {"sensors_reporting", gr.sensors_reporting},
                 {"readings", gr.readings},
                 {"tasks", gr.tasks},
                 {"tasks_completed", gr.tasks_completed},
                 {"tasks_on", {{"edge", gr.tasks_on_edge}, {"cloud", gr.tasks_on_cloud}, {"qpu", gr.tasks_on_qpu}}},
                 {"policy", models::to_string(spec.policy.kind)},
                 {"lost", gr.lost},
                 {"rejected", gr.rejected},
                 {"latency_s", distribution(gr.latency)},
                 {"latency_lower_bound_s",
                  g < r.stream_prediction.group_min_latency.size() ? r.stream_prediction.group_min_latency[g] : 0.0},
                 {"deadline_s", spec.deadline ? Json(*spec.deadline) : Json(nullptr)},
                 {"deadline", deadline_entry(gr.deadline)}};
      if (spec.dag) {
        entry["dag"]            = w.dags[*spec.dag].name;
        entry["jobs_completed"] = gr.jobs_completed;
      }
      if (spec.privacy.any())
        entry["privacy"] = group_privacy_entry(spec, r.group_privacy[g]);
      groups[spec.name] = entry;
    }
    summary["groups"] = groups;
  }
  if (w.has_batch()) {
    Json jobs = Json::object();
    for (size_t j = 0; j < r.jobs.size(); ++j)
      jobs[w.jobs[j].name] = job_entry(scenario, w.jobs[j], r.jobs[j]);
    summary["jobs"] = jobs;
  }
  if (w.has_federated()) {
    Json federated = Json::object();
    for (size_t j = 0; j < r.federated.size(); ++j)
      federated[w.federated[j].name] = federated_entry(scenario, w.federated[j], r.federated[j]);
    summary["federated"] = federated;
  }
  return summary;
}

std::string nodes_csv(const models::Scenario& scenario, const sim::RunResult& r)
{
  std::string out =
      "node,site,kind,cores,speed_flops_per_s,capacity_flops_per_s,tasks_completed,flops_done,bytes_in_B,"
      "busy_core_s,utilisation,mean_queue_tasks,max_queue_tasks,availability,energy_J,billing,cost\n";
  const models::CostBreakdown costs = run_costs(scenario, r);
  for (size_t i = 0; i < scenario.platform.nodes.size(); ++i) {
    const auto& n  = scenario.platform.nodes[i];
    const auto& nr = r.nodes[i];
    fmt::format_to(std::back_inserter(out), "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", n.name,
                   scenario.platform.sites[n.site].name, models::to_string(n.kind), n.cores, n.speed, n.capacity(),
                   nr.tasks_completed, nr.flops_done, nr.bytes_in, nr.busy_core_seconds, nr.utilisation, nr.mean_queue,
                   nr.max_queue, nr.availability, nr.energy, models::to_string(n.cost.billing), costs.node[i]);
  }
  return out;
}

std::string events_csv(const models::Scenario& scenario, const sim::RunResult& r)
{
  std::string out = "time_s,node,event\n";
  for (const auto& e : r.faults.node_events)
    fmt::format_to(std::back_inserter(out), "{},{},{}\n", e.time, scenario.platform.nodes[e.node].name,
                   sim::to_string(e.kind));
  return out;
}

std::string timeline_csv(const sim::RunResult& r)
{
  std::string out =
      "time_s,scope,arrived_tasks,completed_tasks,dropped_tasks,in_transit_tasks,queued_tasks,running_tasks,"
      "throughput_per_s\n";
  for (const auto& row : r.timeline)
    fmt::format_to(std::back_inserter(out), "{},{},{},{},{},{},{},{},{}\n", row.time, row.scope, row.arrived,
                   row.completed, row.dropped, row.in_transit, row.queued, row.running, row.throughput);
  return out;
}

namespace {

// A run killed outright (SIGKILL, a second Ctrl-C, a power cut) leaves its staging folder,
// .NAME.tmp-PID, and perhaps the previous results it had moved aside, .NAME.old-PID. Those of
// processes that no longer exist are removed; a moved-aside folder goes back in place when the
// killed run had not put its own there.
void clean_up_after_killed_runs(const std::filesystem::path& parent, const std::filesystem::path& destination)
{
  namespace fs = std::filesystem;
  const std::string name = destination.filename().string();
  std::error_code ec;
  std::vector<std::pair<fs::path, bool>> stale;  // path, whether it holds previous results
  for (const auto& entry : fs::directory_iterator(parent, ec)) {
    const std::string file = entry.path().filename().string();
    for (const char* kind : {".tmp-", ".old-"}) {
      const std::string prefix = "." + name + kind;
      if (file.size() <= prefix.size() || file.compare(0, prefix.size(), prefix) != 0)
        continue;
      const std::string pid = file.substr(prefix.size());
      if (pid.find_first_not_of("0123456789") != std::string::npos || pid.size() > 9)
        continue;
      if (::kill(static_cast<pid_t>(std::stol(pid)), 0) != 0 && errno == ESRCH)
        stale.emplace_back(entry.path(), kind[1] == 'o');
    }
  }
  for (const auto& [path, previous] : stale) {
    if (previous && !fs::exists(destination, ec) && fs::exists(path / "summary.json", ec))
      fs::rename(path, destination, ec);
    else
      fs::remove_all(path, ec);
  }
}

}  // namespace

ResultsFolder::ResultsFolder(std::filesystem::path destination) : destination_(destination.lexically_normal())
{
  namespace fs = std::filesystem;
  std::error_code ec;
  // "out/" names the folder out, whose staging folder is a sibling, not a child.
  if (!destination_.has_filename() && destination_.has_parent_path() && destination_ != destination_.root_path())
    destination_ = destination_.parent_path();
  if (destination_.empty() || destination_ == "." || destination_ == ".." || destination_.filename() == "..")
    throw models::InputError(destination.string(), "", "name a folder of its own for the results, not . or ..");
  if (fs::exists(destination_, ec)) {
    const bool is_results = fs::is_directory(destination_, ec) && fs::exists(destination_ / "summary.json", ec);
    const bool is_empty   = fs::is_directory(destination_, ec) && fs::is_empty(destination_, ec);
    if (!is_results && !is_empty)
      throw models::InputError(destination_.string(), "",
                               "exists and is not a leptonsim results folder (it has no summary.json); "
                               "choose another --out");
  }
  const fs::path parent = destination_.has_parent_path() ? destination_.parent_path() : fs::path(".");
  fs::create_directories(parent, ec);
  if (ec)
    throw models::InputError(parent.string(), "", "cannot create the folder: " + ec.message());
  clean_up_after_killed_runs(parent, destination_);
  staging_ = parent / fmt::format(".{}.tmp-{}", destination_.filename().string(), ::getpid());
  fs::remove_all(staging_, ec);
  fs::create_directory(staging_, ec);
  if (ec)
    throw models::InputError(staging_.string(), "", "cannot create the folder: " + ec.message());
}

ResultsFolder::~ResultsFolder()
{
  if (!committed_) {
    std::error_code ec;
    std::filesystem::remove_all(staging_, ec);
  }
}

void ResultsFolder::write(const std::string& name, const std::string& content) const
{
  const auto path = staging_ / name;
  std::ofstream out(path, std::ios::binary);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.close();
  if (!out)
    throw std::runtime_error("cannot write " + path.string());
}

std::filesystem::path ResultsFolder::place(const std::filesystem::path& path) const
{
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path file = fs::weakly_canonical(fs::absolute(path, ec), ec);
  const fs::path root = fs::weakly_canonical(fs::absolute(destination_, ec), ec);
  if (ec)
    return path;
  const fs::path inside = file.lexically_relative(root);
  if (inside.empty() || *inside.begin() == "..")
    return path;
  return staging_ / inside;
}

void ResultsFolder::commit()
{
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path old;
  if (fs::exists(destination_, ec)) {
    old = destination_.parent_path() / fmt::format(".{}.old-{}", destination_.filename().string(), ::getpid());
    fs::rename(destination_, old, ec);
    if (ec)
      throw std::runtime_error("cannot move the previous results aside: " + ec.message());
  }
  fs::rename(staging_, destination_, ec);
  if (ec)
    throw std::runtime_error("cannot move the results into " + destination_.string() + ": " + ec.message());
  committed_ = true;
  if (!old.empty())
    fs::remove_all(old, ec);
}

}  // namespace leptonsim::cli
