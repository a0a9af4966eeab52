// The floor under leptonsim: the same activities as a leptonsim stream run, written directly on
// SimGrid with nothing else. One site (a switch and N nodes, each on its own access link, as
// sim/platform.cpp builds it); one periodic group whose reading k is taken at k * period / sensors
// and goes round-robin to node k mod N: a transfer of `bytes` from the switch to the node, then an
// execution of `flops` on a free core of that node (FIFO when all are busy).
//
// It uses the cheapest SimGrid mechanisms known for this on SimGrid 3.32: arrivals are kernel timers
// run by maestro, transfers are host-to-host comms started by maestro, whose completion signal hands
// the reading to its node; each core is an actor that suspends when idle and runs executions
// (executions started by maestro are slower, see docs/design.md). No per-task allocation of our own:
// a comm's data is the reading's number, from which its node and creation time follow.
//
// Prints one JSON object: tasks completed, end time and mean latency (s), so that a benchmark can
// check that leptonsim simulated exactly the same thing.
#include <simgrid/kernel/Timer.hpp>
#include <simgrid/s4u/Activity.hpp>
#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Comm.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Host.hpp>
#include <simgrid/s4u/Link.hpp>
#include <simgrid/s4u/NetZone.hpp>
#include <xbt/log.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace sg4 = simgrid::s4u;

namespace {

struct Params {
  uint64_t nodes   = 10;
  int cores        = 1;
  double speed     = 1e9;    // flop/s of one core
  double bandwidth = 1.25e8; // B/s of each access link
  double latency   = 1e-3;   // s
  uint64_t sensors = 1000;
  double period    = 1;      // s
  double duration  = 10;     // s: readings are taken in [0, duration)
  double flops     = 1e6;    // per reading
  double bytes     = 200;    // per reading
};

// A FIFO of reading numbers that reuses its storage.
class Fifo {
public:
  bool empty() const { return head_ == items_.size(); }
  void push(uint64_t v) { items_.push_back(v); }
  uint64_t pop()
  {
    const uint64_t v = items_[head_++];
    if (head_ == items_.size()) {
      items_.clear();
      head_ = 0;
    }
    return v;
  }

private:
  std::vector<uint64_t> items_;
  size_t head_ = 0;
};

struct Node {
  sg4::Host* host = nullptr;
  Fifo queue;
  std::vector<sg4::Actor*> idle;
};

class Run {
public:
  explicit Run(const Params& p) : p_(p), slot_(p.period / static_cast<double>(p.sensors)) {}

  void build_platform()
  {
    auto* root = sg4::create_full_zone("zone:bench");
    auto* zone = sg4::create_star_zone("zone:site");
    zone->set_parent(root);
    switch_ = zone->create_host("site.switch", 1e9);
    switch_->seal();
    zone->add_route(switch_->get_netpoint(), nullptr, nullptr, nullptr, {}, true);
    nodes_.resize(p_.nodes);
    for (uint64_t i = 0; i < p_.nodes; ++i) {
      const std::string name = "node-" + std::to_string(i);
      auto* host             = zone->create_host(name, p_.speed);
      host->set_core_count(p_.cores);
      host->seal();
      auto* link = zone->create_split_duplex_link(name + ".link", p_.bandwidth);
      link->set_latency(p_.latency)->seal();
      zone->add_route(host->get_netpoint(), nullptr, nullptr, nullptr,
                      {sg4::LinkInRoute(link, sg4::LinkInRoute::Direction::UP)}, true);
      nodes_[i].host = host;
    }
    zone->seal();
    root->seal();
  }

  void start()
  {
    for (auto& node : nodes_)
      for (int c = 0; c < p_.cores; ++c)
        sg4::Actor::create("core", node.host, [this, &node] { serve(node); })->daemonize();
    sg4::Activity::on_completion_cb([this](const sg4::Activity& a) { transfer_done(a); });
    if (time_of(0) < p_.duration)
      simgrid::kernel::timer::Timer::set(time_of(0), [this] { take(0); });
    // Keeps the simulation alive until the last reading is processed (the cores are daemons).
    keeper_ = sg4::Actor::create("keeper", switch_, [this] {
      while (!done())
        sg4::this_actor::suspend();
    });
  }

  // The comms whose completion came last were never released by a later reading.
  void release_finished()
  {
    for (auto* a : finished_)
      a->unref();
    finished_.clear();
  }

  void report() const
  {
    std::printf("{\"tasks_completed\": %llu, \"end_time_s\": %.17g, \"mean_latency_s\": %.17g}\n",
                static_cast<unsigned long long>(completed_), end_time_,
                completed_ ? latency_sum_ / static_cast<double>(completed_) : 0.0);
  }

private:
  Params p_;
  double slot_;
  sg4::Host* switch_ = nullptr;
  std::vector<Node> nodes_;
  std::vector<sg4::Activity*> finished_;  // comms whose completion has returned, released at the next reading
  sg4::ActorPtr keeper_;
  uint64_t taken_     = 0;
  bool arrivals_done_ = false;
  uint64_t completed_ = 0;
  double latency_sum_ = 0;
  double end_time_    = 0;

  double time_of(uint64_t k) const { return static_cast<double>(k) * slot_; }
  bool done() const { return arrivals_done_ && completed_ == taken_; }

  // Reading k is taken at the switch and leaves for its node.
  void take(uint64_t k)
  {
    release_finished();
    ++taken_;
    Node& node = nodes_[k % p_.nodes];
    auto comm  = sg4::Comm::sendto_init(switch_, node.host);
    comm->set_payload_size(static_cast<uint64_t>(std::llround(p_.bytes)));
    comm->set_data(reinterpret_cast<void*>(static_cast<uintptr_t>(k + 1)));
    comm->add_ref();  // SimGrid still touches the comm after its completion signal: released later
    comm->start();
    if (time_of(k + 1) < p_.duration)
      simgrid::kernel::timer::Timer::set(time_of(k + 1), [this, k] { take(k + 1); });
    else
      arrivals_done_ = true;
  }

  void transfer_done(const sg4::Activity& a)
  {
    auto* data = a.get_data<void>();
    if (data == nullptr)
      return;  // an execution
    const uint64_t k = reinterpret_cast<uintptr_t>(data) - 1;
    finished_.push_back(const_cast<sg4::Activity*>(&a));
    Node& node = nodes_[k % p_.nodes];
    node.queue.push(k);
    if (!node.idle.empty()) {
      sg4::Actor* core = node.idle.back();
      node.idle.pop_back();
      core->resume();
    }
  }

  // A core: runs the readings of its node's queue, one at a time.
  void serve(Node& node)
  {
    for (;;) {
      while (node.queue.empty()) {
        node.idle.push_back(sg4::Actor::self());
        sg4::this_actor::suspend();
      }
      const uint64_t k = node.queue.pop();
      sg4::this_actor::execute(p_.flops);
      end_time_ = sg4::Engine::get_clock();
      latency_sum_ += end_time_ - time_of(k);
      ++completed_;
      if (done())
        keeper_->resume();
    }
  }
};

bool parse(int argc, char** argv, Params& p)
{
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string key = argv[i];
    const double v        = std::strtod(argv[i + 1], nullptr);
    if (key == "--nodes")
      p.nodes = static_cast<uint64_t>(v);
    else if (key == "--cores")
      p.cores = static_cast<int>(v);
    else if (key == "--speed")
      p.speed = v;
    else if (key == "--bandwidth")
      p.bandwidth = v;
    else if (key == "--latency")
      p.latency = v;
    else if (key == "--sensors")
      p.sensors = static_cast<uint64_t>(v);
    else if (key == "--period")
      p.period = v;
    else if (key == "--duration")
      p.duration = v;
    else if (key == "--flops")
      p.flops = v;
    else if (key == "--bytes")
      p.bytes = v;
    else
      return false;
  }
  return argc % 2 == 1 && p.nodes > 0 && p.cores > 0 && p.sensors > 0;
}

}  // namespace

int main(int argc, char** argv)
{
  Params p;
  if (!parse(argc, argv, p)) {
    std::fprintf(stderr, "usage: bare_simgrid [--nodes N] [--cores C] [--speed FLOP/S] [--bandwidth B/S] "
                         "[--latency S] [--sensors K] [--period S] [--duration S] [--flops F] [--bytes B]\n");
    return 2;
  }
  xbt_log_control_set("root.thresh:warning");
  int sg_argc         = 1;
  char program_name[] = "bare_simgrid";
  char* sg_argv[]     = {program_name, nullptr};
  sg4::Engine engine(&sg_argc, sg_argv);
  // leptonsim's "ideal" network: latency + size / bandwidth, no cross traffic, and no TCP window,
  // which is passed as a huge one as leptonsim does (models/network_model.cpp says why not 0).
  sg4::Engine::set_config("network/model:CM02");
  sg4::Engine::set_config("network/TCP-gamma:1e30");
  sg4::Engine::set_config("network/crosstraffic:0");
  if (p.nodes * static_cast<uint64_t>(p.cores) > 16384)
    sg4::Engine::set_config("contexts/guard-size:0");
  Run run(p);
  run.build_platform();
  run.start();
  engine.run();
  run.release_finished();
  run.report();
  return 0;
}
