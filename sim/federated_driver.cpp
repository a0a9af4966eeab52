#include "sim/federated_driver.hpp"

#include "models/federated.hpp"
#include "models/network_model.hpp"
#include "models/rng.hpp"
#include "models/secure_aggregation.hpp"

#include <simgrid/s4u/Engine.hpp>

#include <algorithm>
#include <cstdint>
#include <unordered_map>

namespace leptonsim::sim {

namespace {
double now() { return simgrid::s4u::Engine::get_clock(); }
}  // namespace

class FederatedDriver::Job final : public Calendar::Event {
public:
  Job(FederatedDriver& driver, const models::Scenario& scenario, const models::Topology& topology, size_t index,
      Calendar& calendar, Cluster& cluster, Recorder& recorder, TaskPool& pool, FederatedResult& result)
      : driver_(driver)
      , scenario_(scenario)
      , topology_(topology)
      , net_(models::network_params(scenario.network))
      , spec_(scenario.workload.federated[index])
      , index_(index)
      , calendar_(calendar)
      , cluster_(cluster)
      , recorder_(recorder)
      , pool_(pool)
      , result_(result)
      , rng_(models::make_rng(scenario.seed, "federated:" + spec_.name))
      , contributed_(spec_.clients.size(), false)
      , busy_(spec_.clients.size(), false)
  {
  }

  double start_time() const { return spec_.start; }

  void fire(double time) override
  {
    result_.start = time;
    recorder_.milestone("federated " + spec_.name + " starts", time);
    start_round(time);
  }

  void task_done(Task& task)
  {
    const TaskRef ref = take(task);
    switch (ref.role) {
      case Role::training: {
        result_.training_flops += task.flops;
        Client& c = *ref.round->clients[ref.index];
        busy_[c.position] = false;
        pool_.release(&task);
        if (c.state != Client::State::pending || collector(*ref.round, c).closed || ref.round->over) {
          // The round has what it needed without this client: its work is wasted.
          if (c.state == Client::State::pending || c.state == Client::State::late) {
            c.state = Client::State::discarded;
            ++ref.round->record.discarded;
          }
          result_.wasted_flops += c.training_flops;
        } else {
          send_up(*ref.round, ref.index, 0);
        }
        break;
      }
      case Role::setup:
        result_.secagg_flops += task.flops;
        pool_.release(&task);
        send_up(*ref.round, ref.index, models::share_keys);
        break;
      case Role::mask:
        result_.secagg_flops += task.flops;
        pool_.release(&task);
        send_up(*ref.round, ref.index, models::masked_input);
        break;
      case Role::aggregation:
        result_.aggregation_flops += task.flops;
        pool_.release(&task);
        aggregated(*ref.round, ref.index);
        break;
      case Role::cloud_aggregation:
        result_.aggregation_flops += task.flops;
        pool_.release(&task);
        finish_round(*ref.round, true);
        break;
    }
    settle();
  }

  void task_failed(Task& task)
  {
    const TaskRef ref = take(task);
    recorder_.lost(task);
    pool_.release(&task);
    if (ref.role == Role::training)
      busy_[ref.round->clients[ref.index]->position] = false;
    switch (ref.role) {
      case Role::training:
      case Role::setup:
      case Role::mask:
        drop(*ref.round, ref.index);
        break;
      case Role::aggregation:
        collector_failed(*ref.round, ref.index);
        break;
      case Role::cloud_aggregation:
        finish_round(*ref.round, false);
        break;
    }
    settle();
  }

private:
  struct Round;

  // A transfer of the job; each client and each collector has at most one in flight at a time.
  class Message final : public ActivityWaiter {
  public:
    enum class Kind { edge_model, up, down, forward };
    explicit Message(Job& job) : job_(job) {}
    void activity_ended(bool ok) override { job_.message_ended(*this, ok); }
    Round* round = nullptr;
    Kind kind    = Kind::up;
    size_t index = 0;  // client (up, down) or collector (edge_model, forward)
    int step     = 0;  // the first report (0) or a secure-aggregation round (1 to 3)
    size_t to    = 0;  // node
    double bytes = 0;

  private:
    Job& job_;
  };

  struct Client {
    enum class State { pending, accepted, late, dropped, discarded };
    explicit Client(Job& job) : message(job) {}
    size_t node      = 0;
    size_t position  = 0;  // in spec_.clients
    size_t collector = 0;
    State state      = State::pending;
    bool awaiting    = false;  // secure aggregation: prompted in the current round, no reply yet
    bool masked      = false;  // sent its masked input
    bool unmasked    = false;  // sent its unmasking shares
    double training_flops = 0;
    Message message;
  };

  struct Collector {
    explicit Collector(Job& job) : message(job) {}
    size_t node = 0;
    std::vector<size_t> members;  // client indices
    uint64_t quota = 0;
    uint64_t arrived = 0, dropped_before_close = 0;
    bool closed = false, done = false, failed = false;
    std::vector<size_t> accepted;  // clients whose first report arrived in time
    int step          = 0;         // secure-aggregation round under way (1 to 3), 0 before
    size_t pending    = 0;         // replies awaited in that round
    uint64_t updates  = 0;         // updates in its aggregate
    models::SecAggCost secagg;
    Message message;  // model to the edge, then the partial aggregate to the cloud
  };

  struct Round {
    uint32_t number = 0;
    double start    = 0;
    bool over       = false;
    std::vector<std::unique_ptr<Client>> clients;
    std::vector<std::unique_ptr<Collector>> collectors;
    size_t edges_pending = 0;  // hierarchical: partial aggregates the cloud still waits for
    uint64_t edge_parts  = 0;  // partial aggregates that reached the cloud
    FlRoundRecord record;
  };

  enum class Role { training, setup, mask, aggregation, cloud_aggregation };
  struct TaskRef {
    Round* round = nullptr;
    size_t index = 0;
    Role role    = Role::training;
  };

  FederatedDriver& driver_;
  const models::Scenario& scenario_;
  const models::Topology& topology_;
  models::NetworkModelParams net_;
  const models::FederatedJob& spec_;
  size_t index_;
  Calendar& calendar_;
  Cluster& cluster_;
  Recorder& recorder_;
  TaskPool& pool_;
  FederatedResult& result_;
  std::mt19937_64 rng_;
  std::vector<std::unique_ptr<Round>> rounds_;  // kept until the end: stragglers may still report
  std::unordered_map<const Task*, TaskRef> tasks_;
  std::vector<bool> contributed_;  // per client of spec_.clients
  std::vector<bool> busy_;         // per client of spec_.clients: still training for an earlier round
  models::QuantileSketch round_times_;
  size_t in_flight_   = 0;
  bool rounds_over_   = false;
  bool reported_      = false;

  Collector& collector(Round& round, const Client& c) { return *round.collectors[c.collector]; }
  bool secagg() const { return spec_.privacy.secure_aggregation.has_value(); }

  TaskRef take(const Task& task)
  {
    auto it = tasks_.find(&task);
    const TaskRef ref = it->second;
    tasks_.erase(it);
    --in_flight_;
    return ref;
  }

  void count_bytes(size_t from, size_t to, double bytes, double& category)
  {
    category += bytes;
    const auto& nodes = scenario_.platform.nodes;
    (nodes[from].site == nodes[to].site ? result_.within_site_bytes : result_.across_sites_bytes) += bytes;
    ++result_.messages;
  }

  // --- rounds ---

  void start_round(double at)
  {
    const uint32_t number = static_cast<uint32_t>(rounds_.size());
    if (number >= static_cast<uint32_t>(spec_.rounds)) {
      end_rounds();
      return;
    }
    if (spec_.privacy.dp && result_.releases >= spec_.privacy.dp->releases_allowed) {
      if (!result_.budget_exhausted) {
        result_.budget_exhausted    = true;
        result_.budget_exhausted_at = at;
        recorder_.milestone("federated " + spec_.name + ": privacy budget spent", at);
      }
      if (spec_.privacy.dp->budget.on_exhausted == models::OnExhausted::stop) {
        result_.rounds_not_run = static_cast<uint64_t>(spec_.rounds) - number;
        end_rounds();
        return;
      }
    }
    auto round    = std::make_unique<Round>();
    Round& r      = *round;
    r.number      = number;
    r.start       = at;
    r.record.round = number;
    r.record.start = at;
    rounds_.push_back(std::move(round));
    // Sample among the clients the dispatcher believes up and that are not still training for an
    // earlier round (a partial Fisher-Yates shuffle).
    const auto view = cluster_.view();
    std::vector<size_t> candidates;
    for (size_t i = 0; i < spec_.clients.size(); ++i)
      if (view.nodes[spec_.clients[i]].up && !busy_[i])
        candidates.push_back(i);
    const size_t take_n = std::min<size_t>(spec_.sampled(), candidates.size());
    for (size_t i = 0; i < take_n; ++i) {
      const size_t j = i + static_cast<size_t>(models::uniform01(rng_) * static_cast<double>(candidates.size() - i));
      std::swap(candidates[i], candidates[std::min(j, candidates.size() - 1)]);
    }
    candidates.resize(take_n);
    std::sort(candidates.begin(), candidates.end());
    r.record.sampled = take_n;
    result_.sampled += take_n;
    if (take_n == 0) {
      // Nobody to train: try again once a heartbeat could have brought a node back.
      r.over         = true;
      r.record.failed = true;
      r.record.end   = at;
      ++result_.rounds_failed;
      const double gap = scenario_.faults.enabled ? scenario_.faults.detection.period : 1.0;
      calendar_.at(at + gap, [this] { start_round(now()); });
      return;
    }
    std::vector<size_t> sample_nodes;
    for (size_t pos : candidates)
      sample_nodes.push_back(spec_.clients[pos]);
    const auto predicted = models::predict_federated_round(scenario_, topology_, net_, spec_, sample_nodes);
    r.record.predicted   = predicted.round;
    result_.predicted_total += predicted.round;
    if (number == 0)
      result_.first_round_prediction = predicted;
    // Collectors: the aggregator, or the edge aggregators of the sampled clients' sites.
    std::vector<size_t> collector_of_edge(spec_.edge_aggregators.size(), SIZE_MAX);
    for (size_t pos : candidates) {
      auto client      = std::make_unique<Client>(*this);
      client->node     = spec_.clients[pos];
      client->position = pos;
      client->training_flops = models::fl_client_flops(spec_);
      const size_t edge      = spec_.hierarchical() ? spec_.client_edge[pos] : 0;
      if (spec_.hierarchical() ? collector_of_edge[edge] == SIZE_MAX : r.collectors.empty()) {
        auto col  = std::make_unique<Collector>(*this);
        col->node = spec_.hierarchical() ? spec_.edge_aggregators[edge] : spec_.aggregator;
        if (spec_.hierarchical())
          collector_of_edge[edge] = r.collectors.size();
        r.collectors.push_back(std::move(col));
      }
      client->collector = spec_.hierarchical() ? collector_of_edge[edge] : 0;
      r.collectors[client->collector]->members.push_back(r.clients.size());
      r.clients.push_back(std::move(client));
    }
    for (auto& col : r.collectors)
      col->quota = models::fl_quota(spec_, col->members.size(), take_n);
    r.edges_pending = spec_.hierarchical() ? r.collectors.size() : 0;
    if (spec_.deadline) {
      Round* rp = &r;
      calendar_.at(at + *spec_.deadline, [this, rp] {
        if (!rp->over)
          for (size_t c = 0; c < rp->collectors.size(); ++c)
            close(*rp, c);
        settle();
      });
    }
    if (!spec_.hierarchical()) {
      for (size_t i = 0; i < r.clients.size(); ++i)
        train(r, i);
      return;
    }
    for (size_t c = 0; c < r.collectors.size(); ++c) {
      Collector& col = *r.collectors[c];
      if (col.node == spec_.aggregator) {
        for (size_t i : col.members)
          train(r, i);
        continue;
      }
      send(col.message, r, Message::Kind::edge_model, c, 0, spec_.aggregator, col.node,
           models::fl_download_bytes(spec_), result_.download_bytes);
    }
  }

  void send(Message& m, Round& r, Message::Kind kind, size_t index, int step, size_t from, size_t to, double bytes,
            double& category)
  {
    m.round = &r;
    m.kind  = kind;
    m.index = index;
    m.step  = step;
    m.to    = to;
    m.bytes = from == to ? 0.0 : bytes;
    ++in_flight_;
    if (from == to) {  // on the same node: nothing crosses the network
      calendar_.at(now(), [this, &m] { message_ended(m, true); });
      return;
    }
    count_bytes(from, to, bytes, category);
    cluster_.activities().transfer(cluster_.host(from), cluster_.host(to), bytes, m);
  }

  Task* new_task(Round& r, size_t index, Role role, size_t node, double flops)
  {
    Task* task     = pool_.acquire();
    task->owner    = &driver_;
    task->id       = pool_.next_id();
    task->source   = static_cast<uint32_t>(index_);
    task->kind     = TaskKind::federated;
    task->phase    = r.number;
    task->slot     = static_cast<uint32_t>(index);
    task->node     = static_cast<uint32_t>(node);
    task->created  = now();
    task->flops    = flops;
    task->bytes    = 0;
    task->recovery = nullptr;  // a client that fails drops out of the round
    tasks_[task]   = TaskRef{&r, index, role};
    ++in_flight_;
    recorder_.submitted(*task);
    return task;
  }

  // The client's training task; its input is the model, from its collector (or the aggregator).
  void train(Round& r, size_t i)
  {
    Client& c         = *r.clients[i];
    const size_t from = spec_.hierarchical() ? collector(r, c).node : spec_.aggregator;
    Task* task        = new_task(r, i, Role::training, c.node, c.training_flops);
    task->bytes       = models::fl_download_bytes(spec_);
    busy_[c.position] = true;
    if (from != c.node)
      count_bytes(from, c.node, task->bytes, result_.download_bytes);
    cluster_.dispatch(*task, cluster_.host(from), /*send=*/from != c.node);
  }

  // A client's message to its collector: its report after training (step 0), or its reply in a
  // secure-aggregation round.
  void send_up(Round& r, size_t i, int step)
  {
    Client& c = *r.clients[i];
    Collector& col = collector(r, c);
    double bytes   = 0;
    double* category = &result_.upload_bytes;
    if (!secagg()) {
      bytes = models::fl_update_bytes(spec_);
    } else if (step == 0) {
      bytes    = models::secure_aggregation_cost(*spec_.privacy.secure_aggregation, 1, spec_.parameters)
                  .up_bytes[models::advertise_keys];
      category = &result_.secagg_bytes;
    } else {
      bytes = col.secagg.up_bytes[step];
      if (step != models::masked_input)
        category = &result_.secagg_bytes;
    }
    send(c.message, r, Message::Kind::up, i, step, c.node, col.node, bytes, *category);
  }

  void message_ended(Message& m, bool ok)
  {
    --in_flight_;
    Round& r = *m.round;
    if (ok && m.bytes > 0)
      recorder_.transfer_delivered(m.to, m.bytes);
    switch (m.kind) {
      case Message::Kind::edge_model: {
        Collector& col = *r.collectors[m.index];
        for (size_t i : col.members) {
          if (ok)
            train(r, i);
          else
            drop(r, i);
        }
        break;
      }
      case Message::Kind::up: {
        if (!ok) {
          drop(r, m.index);
          break;
        }
        reported(r, m.index, m.step);
        break;
      }
      case Message::Kind::down: {
        if (!ok) {
          drop(r, m.index);
          break;
        }
        prompted(r, m.index, m.step);
        break;
      }
      case Message::Kind::forward: {
        Collector& col = *r.collectors[m.index];
        if (ok) {
          ++r.edge_parts;
          r.record.accepted += col.updates;
          mark_contributors(r, col);
        }
        edge_settled(r);
        break;
      }
    }
    settle();
  }

  // --- collecting ---

  void reported(Round& r, size_t i, int step)
  {
    Client& c      = *r.clients[i];
    Collector& col = collector(r, c);
    if (step == 0) {
      if (c.state != Client::State::pending || col.closed || r.over) {
        if (c.state == Client::State::pending || c.state == Client::State::late) {
          c.state = Client::State::discarded;
          ++r.record.discarded;
          result_.wasted_flops += c.training_flops;
        }
        return;
      }
      c.state = Client::State::accepted;
      ++col.arrived;
      col.accepted.push_back(i);
      maybe_close(r, c.collector);
      return;
    }
    if (!c.awaiting || c.state != Client::State::accepted)
      return;
    c.awaiting = false;
    if (step == models::masked_input)
      c.masked = true;
    if (step == models::unmasking)
      c.unmasked = true;
    --col.pending;
    step_done(r, c.collector);
  }

  void maybe_close(Round& r, size_t c)
  {
    Collector& col = *r.collectors[c];
    if (col.closed)
      return;
    const uint64_t unresolved = col.members.size() - col.arrived - col.dropped_before_close;
    if (col.arrived >= col.quota || unresolved == 0)
      close(r, c);
  }

  void close(Round& r, size_t c)
  {
    Collector& col = *r.collectors[c];
    if (col.closed)
      return;
    col.closed = true;
    for (size_t i : col.members)
      if (r.clients[i]->state == Client::State::pending)
        r.clients[i]->state = Client::State::late;
    if (col.accepted.empty()) {
      collector_failed(r, c);
      return;
    }
    if (!secagg()) {
      col.updates = col.accepted.size();
      aggregate(r, c, 0.0);
      return;
    }
    col.secagg = models::secure_aggregation_cost(*spec_.privacy.secure_aggregation, col.accepted.size(),
                                                 spec_.parameters);
    next_step(r, c);
  }

  // Secure aggregation: the collector prompts every accepted client still in, and waits for all.
  void next_step(Round& r, size_t c)
  {
    Collector& col = *r.collectors[c];
    ++col.step;
    col.pending = 0;
    for (size_t i : col.accepted) {
      Client& client = *r.clients[i];
      if (client.state != Client::State::accepted)
        continue;
      if (col.step == models::unmasking && !client.masked)
        continue;  // it dropped before masking: its shares are what others send
      client.awaiting = true;
      ++col.pending;
      const double bytes = col.secagg.down_bytes[col.step - 1];
      send(client.message, r, Message::Kind::down, i, col.step, col.node, client.node, bytes, result_.secagg_bytes);
    }
    if (col.pending == 0)
      step_done(r, c);
  }

  // A client received the collector's prompt for round `step`.
  void prompted(Round& r, size_t i, int step)
  {
    Client& c = *r.clients[i];
    if (c.state != Client::State::accepted)
      return;
    if (step == models::share_keys) {
      Task* task = new_task(r, i, Role::setup, c.node, collector(r, c).secagg.client_setup_flops);
      cluster_.dispatch(*task, cluster_.host(c.node), /*send=*/false);
    } else if (step == models::masked_input) {
      Task* task = new_task(r, i, Role::mask, c.node, collector(r, c).secagg.client_mask_flops);
      cluster_.dispatch(*task, cluster_.host(c.node), /*send=*/false);
    } else {
      send_up(r, i, models::unmasking);
    }
  }

  void step_done(Round& r, size_t c)
  {
    Collector& col = *r.collectors[c];
    if (col.pending > 0 || col.done || col.failed)
      return;
    if (col.step < models::unmasking) {
      next_step(r, c);
      return;
    }
    uint64_t masked = 0, unmasked = 0;
    for (size_t i : col.accepted) {
      masked += r.clients[i]->masked ? 1 : 0;
      unmasked += r.clients[i]->unmasked ? 1 : 0;
    }
    const uint64_t n = col.accepted.size();
    col.secagg       = models::secure_aggregation_cost(*spec_.privacy.secure_aggregation, n, spec_.parameters,
                                                       n - masked);
    if (unmasked < col.secagg.threshold || masked == 0) {
      collector_failed(r, c);  // too few shares to remove the masks
      return;
    }
    col.updates = masked;
    result_.secagg_flops += col.secagg.server_flops;
    aggregate(r, c, col.secagg.server_flops);
  }

  void aggregate(Round& r, size_t c, double extra_flops)
  {
    Collector& col  = *r.collectors[c];
    const bool cloud = !spec_.hierarchical();
    Task* task = new_task(r, c, Role::aggregation, col.node,
                          models::fl_aggregation_flops(spec_, col.updates, cloud) + extra_flops);
    cluster_.dispatch(*task, cluster_.host(col.node), /*send=*/false);
  }

  void aggregated(Round& r, size_t c)
  {
    Collector& col = *r.collectors[c];
    col.done       = true;
    if (!spec_.hierarchical()) {
      r.record.accepted = col.updates;
      mark_contributors(r, col);
      finish_round(r, true);
      return;
    }
    send(col.message, r, Message::Kind::forward, c, 0, col.node, spec_.aggregator, models::fl_forward_bytes(spec_),
         result_.forward_bytes);
  }

  void collector_failed(Round& r, size_t c)
  {
    Collector& col = *r.collectors[c];
    if (col.failed || col.done)
      return;
    col.failed = true;
    if (!spec_.hierarchical())
      finish_round(r, false);
    else
      edge_settled(r);
  }

  // Hierarchical: an edge's partial aggregate arrived, or never will.
  void edge_settled(Round& r)
  {
    if (r.edges_pending == 0 || --r.edges_pending > 0 || r.over)
      return;
    if (r.edge_parts == 0 || r.record.accepted < spec_.min_updates) {
      finish_round(r, false);
      return;
    }
    Task* task = new_task(r, 0, Role::cloud_aggregation, spec_.aggregator,
                          models::fl_aggregation_flops(spec_, r.edge_parts, true));
    cluster_.dispatch(*task, cluster_.host(spec_.aggregator), /*send=*/false);
  }

  void mark_contributors(Round& r, const Collector& col)
  {
    for (size_t i : col.accepted) {
      const Client& c = *r.clients[i];
      if (secagg() && !c.masked)
        continue;
      if (c.state == Client::State::accepted)
        contributed_[c.position] = true;
    }
  }

  // A client is out of the round: its node or a link failed.
  void drop(Round& r, size_t i)
  {
    Client& c = *r.clients[i];
    const Client::State before = c.state;
    if (before == Client::State::dropped || before == Client::State::discarded)
      return;
    c.state = Client::State::dropped;
    ++r.record.dropped;
    Collector& col = collector(r, c);
    if (before == Client::State::pending && !col.closed) {
      ++col.dropped_before_close;
      maybe_close(r, c.collector);
    } else if (before == Client::State::accepted && c.awaiting) {
      c.awaiting = false;
      --col.pending;
      step_done(r, c.collector);
    }
  }

  void finish_round(Round& r, bool success)
  {
    if (r.over)
      return;
    r.over = true;
    const double t = now();
    for (auto& col : r.collectors)
      col->closed = true;
    success         = success && r.record.accepted >= spec_.min_updates;
    r.record.end    = t;
    r.record.failed = !success;
    round_times_.add(t - r.start);
    if (success) {
      ++result_.rounds_completed;
      if (spec_.privacy.dp) {
        ++result_.releases;
        if (result_.releases > spec_.privacy.dp->releases_allowed)
          ++result_.over_budget_rounds;
      }
    } else {
      ++result_.rounds_failed;
    }
    result_.accepted += success ? r.record.accepted : 0;
    result_.end = t;
    start_round(t);
  }

  void end_rounds()
  {
    rounds_over_ = true;
    settle();
  }

  // Once the last round is over and nothing of the job is in flight (stragglers included), it ends.
  void settle()
  {
    if (!rounds_over_ || in_flight_ > 0 || reported_)
      return;
    reported_ = true;
    for (const auto& r : rounds_) {  // stragglers may have changed a record after its round ended
      result_.rounds.push_back(r->record);
      result_.discarded += r->record.discarded;
      result_.dropped += r->record.dropped;
    }
    result_.clients_participating = static_cast<uint64_t>(std::count(contributed_.begin(), contributed_.end(), true));
    result_.round_time            = Distribution::of(round_times_);
    if (spec_.privacy.dp) {
      const auto spent     = models::privacy_spent(spec_.privacy.dp->mechanism, result_.releases, spec_.privacy.dp->budget);
      result_.epsilon_spent = spent.epsilon;
      result_.delta_spent   = spent.delta;
    }
    recorder_.milestone("federated " + spec_.name + " ends", result_.end);
    driver_.job_finished();
  }
};

FederatedDriver::FederatedDriver(const models::Scenario& scenario, const models::Topology& topology,
                                 Calendar& calendar, Cluster& cluster, Recorder& recorder, TaskPool& pool,
                                 RunResult& result, std::function<void()> on_done)
    : calendar_(calendar), on_done_(std::move(on_done))
{
  const auto& jobs = scenario.workload.federated;
  for (size_t j = 0; j < jobs.size(); ++j)
    jobs_.push_back(std::make_unique<Job>(*this, scenario, topology, j, calendar, cluster, recorder, pool,
                                          result.federated[j]));
  active_jobs_ = jobs_.size();
}

FederatedDriver::~FederatedDriver() = default;

void FederatedDriver::start()
{
  for (auto& job : jobs_)
    calendar_.at(job->start_time(), job.get());
}

void FederatedDriver::task_done(Task& task)
{
  jobs_[task.source]->task_done(task);
}

void FederatedDriver::task_failed(Task& task)
{
  jobs_[task.source]->task_failed(task);
}

}  // namespace leptonsim::sim
