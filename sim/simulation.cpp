#include "sim/simulation.hpp"

#include "models/cost_model.hpp"
#include "models/federated.hpp"
#include "models/json_input.hpp"
#include "models/network_model.hpp"
#include "models/route_costs.hpp"
#include "models/topology.hpp"
#include "sim/activities.hpp"
#include "sim/batch_driver.hpp"
#include "sim/calendar.hpp"
#include "sim/cluster.hpp"
#include "sim/fault_injector.hpp"
#include "sim/federated_driver.hpp"
#include "sim/interrupt.hpp"
#include "sim/platform.hpp"
#include "sim/quantum.hpp"
#include "sim/recorder.hpp"
#include "sim/run_trace.hpp"
#include "sim/stream_driver.hpp"
#include "sim/xml_platform.hpp"

#include <simgrid/plugins/energy.h>
#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Host.hpp>
#include <simgrid/version.h>
#include <xbt/log.h>

#include <fmt/core.h>

#include <atomic>
#include <cmath>
#include <stdexcept>

namespace leptonsim::sim {
namespace {

// Samples the timeline at a fixed interval until the work is done (the last row is written when
// the last task finishes). Past ten times the expected horizon (a long drain, or absurdly slow
// nodes) the gaps grow by 5% a sample, so that the number of rows stays bounded.
class Sampler final : public Calendar::Event {
public:
  Sampler(Calendar& calendar, Recorder& recorder, double interval, double horizon, const bool& done)
      : calendar_(calendar), recorder_(recorder), interval_(interval), uniform_until_(10 * horizon), done_(done)
  {
  }
  void start()
  {
    if (!done_)
      calendar_.at(interval_, this);
  }
  void fire(double time) override
  {
    if (done_)
      return;
    recorder_.sample(time);
    ++ticks_;
    const double next = static_cast<double>(ticks_ + 1) * interval_;
    calendar_.at(next <= uniform_until_ ? next : std::max(next, time * 1.05), this);
  }

private:
  Calendar& calendar_;
  Recorder& recorder_;
  double interval_;
  double uniform_until_;
  const bool& done_;
  uint64_t ticks_ = 0;
};

// Least-squares slope of tasks in the system against time, over samples in [from, to].
double backlog_slope(const std::vector<TimelineRow>& timeline, double from, double to)
{
  double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (const auto& row : timeline) {
    if (row.scope != "all" || row.time < from || row.time > to)
      continue;
    const double y = static_cast<double>(row.arrived - row.completed - row.dropped);
    n += 1;
    sx += row.time;
    sy += y;
    sxx += row.time * row.time;
    sxy += row.time * y;
  }
  const double denominator = n * sxx - sx * sx;
  if (n < 3 || denominator <= 0)
    return 0.0;
  return (n * sxy - sx * sy) / denominator;
}

}  // namespace

std::string simgrid_version()
{
  return fmt::format("{}.{}", SIMGRID_VERSION_MAJOR, SIMGRID_VERSION_MINOR);
}

std::string simgrid_release()
{
  return fmt::format("{}.{}.{}", SIMGRID_VERSION_MAJOR, SIMGRID_VERSION_MINOR, SIMGRID_VERSION_PATCH);
}

RunResult run_simulation(const models::Scenario& scenario, const RunOptions& options)
{
  // A platform read from SimGrid XML was loaded, with every setting, while the scenario was parsed.
  std::unique_ptr<simgrid::s4u::Engine> owned;
  if (!loaded_engine()) {
    if (!scenario.platform.simgrid_xml.empty())
      throw std::logic_error("the scenario's SimGrid platform was not loaded by xml_platform_loader()");
    // Each core is an actor, and SimGrid guards each actor's stack with a protected page, which
    // costs two memory mappings per actor; Linux allows 65,530 mappings per process by default, so
    // about 30,000 cores would abort the run. Past 16,384 cores the guard pages go (the core actors'
    // stacks stay shallow: all bookkeeping runs in maestro). --cfg contexts/guard-size:N overrides.
    std::vector<std::string> settings;
    int64_t cores = 0;
    for (const auto& node : scenario.platform.nodes)
      cores += node.cores;
    if (cores > 16384)
      settings.emplace_back("contexts/guard-size:0");
    settings.insert(settings.end(), options.simgrid_config.begin(), options.simgrid_config.end());
    owned = start_engine(scenario.network, settings);
  }
  simgrid::s4u::Engine& engine = owned ? *owned : *loaded_engine();
  catch_stop_signals_again();
  const models::NetworkModelParams net = models::network_params(scenario.network);

  const models::Topology topology(scenario.platform);
  const SimPlatform platform = build_platform(scenario, topology);

  RunResult result = make_result_shell(scenario);
  result.network   = net;
  const models::Workload& workload = scenario.workload;
  const models::RouteCosts routes(topology, net);
  double expected_tasks = 0;
  double horizon        = 0;
  if (workload.has_streams()) {
    result.stream_prediction = models::predict_stream(scenario, topology, net);
    expected_tasks           = result.stream_prediction.expected_tasks;
    horizon                  = workload.duration;
    for (const auto& g : workload.groups) {
      const double per_job = g.dag ? static_cast<double>(workload.dags[*g.dag].tasks.size()) : 1.0;
      const double per_task = g.micro_batch ? static_cast<double>(g.micro_batch->size) : 1.0;
      result.task_rate += g.rate() * per_job / per_task;
    }
  }
  for (const auto& job : workload.jobs) {
    expected_tasks += static_cast<double>(job.chunks) * (job.rounds + 1);
    const auto p = models::predict_batch(scenario, topology, net, job, models::static_assignment(scenario, job));
    horizon      = std::max(horizon, job.start + p.refined + p.distribution);
  }
  for (const auto& job : workload.federated) {
    expected_tasks += models::expected_federated_tasks(job);
    const auto p = models::predict_federated_round(scenario, topology, net, job, models::representative_sample(job));
    horizon      = std::max(horizon, job.start + job.rounds * p.round);
  }
  result.timeline_interval =
      scenario.output.timeline_interval > 0 ? scenario.output.timeline_interval : std::max(horizon, 1e-6) / 100.0;

  Calendar calendar;
  Activities activities(calendar, scenario.faults.enabled);
  QkdNetwork qkd(scenario, topology, platform);
  if (qkd.any())
    activities.set_gate([&qkd](simgrid::s4u::Host* from, simgrid::s4u::Host* to, double bytes) {
      return qkd.reserve(from, to, bytes);
    });
  calendar.set_before_events([&activities] { activities.release_finished(); });
  {
    std::vector<const simgrid::s4u::NetZone*> cloud_zones;
    for (size_t s = 0; s < scenario.platform.sites.size(); ++s)
      if (scenario.platform.sites[s].kind == models::SiteKind::cloud)
        cloud_zones.push_back(platform.switches[s]->get_englobing_zone());
    activities.meter_egress(std::move(cloud_zones));
  }
  Recorder recorder(scenario, result, options.task_log, expected_tasks);
  std::unique_ptr<TraceWriter> trace_writer;
  std::unique_ptr<RunTrace> trace;
  if (!options.trace.path.empty()) {
    try {
      trace_writer = std::make_unique<TraceWriter>(options.trace);
    } catch (const std::runtime_error& e) {
      throw models::InputError("--trace", options.trace.path.string(), e.what());
    }
    trace = std::make_unique<RunTrace>(scenario, *trace_writer);
    recorder.set_trace(trace.get());
  }
  TaskPool pool;
  Cluster cluster(scenario, platform, routes, activities, recorder, pool);

  cluster.start_cores();
  // The cores are daemons: this actor keeps the simulation alive until the last task is done.
  double end_time = 0;
  bool done       = false;
  size_t drivers_running = static_cast<size_t>(workload.has_streams()) + static_cast<size_t>(workload.has_batch()) +
                           static_cast<size_t>(workload.has_federated());
  simgrid::s4u::ActorPtr keeper;
  // When the last task of every driver is done: the run's end time, and the energy spent up to then.
  auto on_driver_done = [&] {
    if (--drivers_running > 0)
      return;
    done = true;
    if (keeper)
      keeper->resume();
    end_time = simgrid::s4u::Engine::get_clock();
    recorder.sample(end_time);
    result.energy = 0;
    for (size_t i = 0; i < platform.nodes.size(); ++i) {
      result.nodes[i].energy = sg_host_get_consumed_energy(platform.nodes[i]);
      result.energy += result.nodes[i].energy;
    }
  };
  std::unique_ptr<StreamDriver> streams;
  std::unique_ptr<BatchDriver> batches;
  std::unique_ptr<FederatedDriver> federated;
  if (workload.has_streams()) {
    streams = std::make_unique<StreamDriver>(scenario, platform, calendar, cluster, recorder, pool, on_driver_done);
    const double duration = workload.duration;
    calendar.at(duration, [&result, &recorder, duration] {
      result.backlog_at_end_of_arrivals = recorder.in_system();
      recorder.milestone("arrivals end", duration);
    });
  }
  if (workload.has_batch())
    batches = std::make_unique<BatchDriver>(scenario, topology, platform, calendar, cluster, recorder, pool, result,
                                            on_driver_done);
  if (workload.has_federated())
    federated = std::make_unique<FederatedDriver>(scenario, topology, calendar, cluster, recorder, pool, result,
                                                  on_driver_done);
  if (streams)
    streams->start();
  if (batches)
    batches->start();
  if (federated)
    federated->start();
  Sampler sampler(calendar, recorder, result.timeline_interval, std::max(horizon, result.timeline_interval), done);
  sampler.start();
  CalibrationSchedule calibration(scenario, calendar, cluster, done);
  if (scenario.platform.qpu)
    calibration.start();
  std::unique_ptr<FaultInjector> injector;
  std::unique_ptr<FailureDetector> detector;
  if (scenario.faults.enabled) {
    injector = std::make_unique<FaultInjector>(scenario, platform, calendar, cluster, recorder, done);
    detector = std::make_unique<FailureDetector>(scenario, platform, calendar, cluster, recorder, *injector, done);
    injector->start();
    detector->start();
  }
  keeper = simgrid::s4u::Actor::create("workload", platform.switches.front(), [&done] {
    while (!done)
      simgrid::s4u::this_actor::suspend();
  });

  engine.run();
  activities.release_finished();
  if (!done)
    throw std::logic_error("the simulation stopped with work unfinished");

  recorder.finish(end_time);
  result.qkd = qkd.results(end_time);
  result.egress = activities.egress();
  // Every task submitted is accounted for: completed, lost or rejected.
  const FaultResult& f = result.faults;
  if (f.submitted != f.completed + f.lost + f.rejected)
    throw std::logic_error(fmt::format("task accounting broken: {} submitted, {} completed, {} lost, {} rejected",
                                       f.submitted, f.completed, f.lost, f.rejected));
  if (workload.has_streams()) {
    const double duration = workload.duration;
    result.backlog_growth = backlog_slope(result.timeline, duration / 2, duration);
    result.overloaded     = result.backlog_growth > 0.01 * result.task_rate;
    result.drain_time     = std::max(0.0, end_time - duration);
  }
  if (trace) {
    trace->finish(result);
    result.trace_slices         = trace_writer->slices_written();
    result.trace_slices_dropped = trace_writer->slices_dropped();
  }
  return result;
}

}  // namespace leptonsim::sim
