// The scenario: everything a run needs, as plain structs in SI units (seconds, bytes, flop,
// flop/s, bytes/s, watts). Produced from JSON by parse_scenario(), which expands replicated sites
// and nodes, resolves every name to an index, and reports every problem with its JSON pointer.
#pragma once

#include "models/costs.hpp"
#include "models/faults.hpp"
#include "models/json_input.hpp"
#include "models/privacy.hpp"
#include "models/quantum.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace leptonsim::models {

enum class SiteKind { edge, cloud };
enum class NodeKind { edge, cloud, qpu };
enum class LinkSharing { full_duplex, shared, fatpipe };

struct LinkSpec {
  double bandwidth = 0;  // B/s
  double latency   = 0;  // s
  LinkSharing sharing = LinkSharing::full_duplex;
};

struct Node {
  std::string name;     // unique host name, "<site>.<node>"
  size_t site = 0;      // index into Platform::sites
  NodeKind kind = NodeKind::edge;
  double speed = 0;     // flop/s per core
  int cores = 1;
  LinkSpec link;        // access link between the node and its site's switch
  PowerSpec power;      // given, or the default of its class
  NodeCostSpec cost;    // given, or the default of its class
  std::string pointer;  // where it is declared in the scenario file

  double capacity() const { return speed * cores; }  // flop/s
};

struct Site {
  std::string name;
  SiteKind kind = SiteKind::edge;
  std::vector<size_t> nodes;  // compute nodes (indices into Platform::nodes), QPU excluded
  std::string pointer;
  std::string entry;          // host where sensor readings and batch data enter: "<name>.switch" when built
};

// Quantum key distribution on a backbone link: a key pool fed at the secret key rate; one-time-pad
// encryption spends one key bit per data bit, AES spends a 256-bit key at each re-keying.
struct QkdSpec {
  enum class Mode { otp, aes } mode = Mode::otp;
  double key_rate = 0;        // bit/s
  std::optional<double> fibre_km;  // when the rate comes from the fibre length
  double pool = 0;            // bit, the most key the pool holds
  double initial = 0;         // bit in the pool at t = 0
  double rekey_bytes = 0;     // aes: B encrypted under one key (0: no limit)
  double rekey_interval = 0;  // aes: s a key may be used (0: no limit)
};

// A link between two sites' switches (the backbone).
struct SiteLink {
  std::string name;
  size_t a = 0;  // site indices; direction a->b is the link's "up" direction
  size_t b = 0;
  LinkSpec link;
  std::optional<QkdSpec> qkd;
  std::string pointer;
};

// The quantum co-processor's device and its calibration windows (when it accepts no jobs).
struct QpuSpec {
  std::optional<QpuDevice> device;
  struct Window {
    double start = 0;     // s
    double duration = 0;  // s
    double every = 0;     // s; 0 for a single window
  };
  std::vector<Window> calibration;
};

class RouteOracle;  // models/platform_xml.hpp

struct Platform {
  std::vector<Site> sites;
  std::vector<Node> nodes;     // compute nodes first, then the QPU (if any) as the last entry
  std::vector<SiteLink> links;
  std::optional<size_t> qpu;   // index into nodes of the quantum co-processor host
  QpuSpec qpu_spec;
  // Set when the platform comes from a SimGrid XML file: its path (as SimGrid should open it) and
  // SimGrid's routes between its hosts. Nodes then have no access link of their own (Node::link
  // is unused) and there are no backbone links.
  std::string simgrid_xml;
  std::shared_ptr<const RouteOracle> routes;
  size_t compute_node_count() const { return qpu ? nodes.size() - 1 : nodes.size(); }
};

enum class NetworkModelKind { ideal, cm02, lv08 };

struct NetworkSpec {
  NetworkModelKind model = NetworkModelKind::ideal;
  double tcp_gamma = 4194304.0;  // B, SimGrid's default TCP window (ignored by the ideal model)
};

enum class PolicyKind { round_robin, capacity_weighted, least_loaded, random, power_of_two, nearest, edge_first, heft };

struct PolicySpec {
  PolicyKind kind = PolicyKind::least_loaded;
  double threshold = 0.05;  // s; edge_first: expected queueing beyond which work overflows to the cloud
};

// How much work one task carries (flop): a constant, or drawn per task around a mean.
enum class WorkDistribution { constant, exponential, lognormal };

struct WorkSpec {
  double mean = 0;  // flop
  WorkDistribution distribution = WorkDistribution::constant;
  double cv = 0;    // lognormal: coefficient of variation (standard deviation / mean)
};

enum class ArrivalKind { periodic, poisson };

// A time-varying Poisson rate whose long-run mean is the group's rate.
struct Modulation {
  enum class Kind { none, diurnal, bursts } kind = Kind::none;
  double period = 0;     // diurnal: s per cycle
  double amplitude = 0;  // diurnal: rate(t) = mean * (1 + amplitude * sin(2 pi (t - phase) / period))
  double phase = 0;      // diurnal: s
  double factor = 1;     // bursts: rate during a burst / rate between bursts
  double mean_on = 0;    // bursts: mean length of a burst, s (exponential)
  double mean_off = 0;   // bursts: mean gap between bursts, s (exponential)
};

struct MicroBatch {
  uint64_t size = 1;      // readings per task
  double max_wait = 0;    // s; a partial batch is dispatched when its oldest reading waited this long
};

// One task of a DAG template.
struct DagTask {
  std::string name;
  WorkSpec work;
  double output_bytes = 0;          // B sent along each outgoing edge unless the edge says otherwise
  bool on_qpu = false;              // "kind": "qpu" runs on the quantum co-processor's host
  bool offload = false;             // "kind": "offload": on the QPU or a classical node, whichever finishes first
  std::optional<Circuit> circuit;   // a quantum job (its duration comes from the QPU's device model)
  bool converge_check = false;      // the job may stop after this task (variational loops)
  std::optional<NodeKind> tier;     // edge or cloud: only the group's targets of that kind may run it
  std::optional<double> deadline;   // s after the job's release
  std::optional<size_t> party;      // MPC: runs on this party's nodes (index into the group's privacy.mpc_parties)
  std::string pointer;
};

struct DagEdge {
  size_t from = 0;
  size_t to = 0;
  double bytes = 0;  // B
};

// A task graph shared by every job instance of a source. parse_scenario() checks it is acyclic
// and fills the derived fields (see models/dag.hpp).
struct DagTemplate {
  std::string name;
  std::vector<DagTask> tasks;
  std::vector<DagEdge> edges;
  std::optional<double> deadline;  // s after release, for the whole job
  // Variational loops: after each iteration past `min_iterations` the loop has converged with
  // this probability.
  struct Convergence {
    int min_iterations = 1;
    double probability = 0;
  };
  std::optional<Convergence> convergence;
  std::string pointer;
  // Derived
  std::vector<std::vector<size_t>> predecessors;  // edge indices into each task
  std::vector<std::vector<size_t>> successors;    // edge indices out of each task
  std::vector<size_t> order;                      // a topological order
};

// A source of jobs at a site: sensors whose readings are single tasks, or, with `dag`, each
// reading releases one instance of a DAG template.
struct SensorGroup {
  std::string name;
  size_t site = 0;                  // the switch the readings enter at
  uint64_t sensors = 0;
  ArrivalKind arrival = ArrivalKind::periodic;
  double period = 0;                // s between two readings of one sensor (1 / per-sensor rate)
  double jitter = 0;                // periodic only: fraction of a slot by which a reading may shift
  Modulation modulation;            // poisson only
  WorkSpec work;                    // per reading (single-task jobs)
  double bytes = 0;                 // per reading, switch -> node (input of a DAG's entry tasks)
  std::optional<size_t> dag;        // index into Workload::dags
  std::optional<double> deadline;   // s after the reading, for the whole job
  std::vector<size_t> targets;      // node indices the policy may choose from
  PolicySpec policy;
  RecoverySpec recovery;
  std::optional<MicroBatch> micro_batch;
  PrivacySpec privacy;              // dp and he change each reading; mpc makes each reading a DAG job
  std::string pointer;

  double rate() const { return static_cast<double>(sensors) / period; }  // readings/s for the group
};

// What the seed document printed for a case, kept to show it beside the corrected figures.
struct PrintedFigure {
  double value = 0;
  std::string unit;
  std::string source;
};

struct BatchJob {
  std::string name;
  double units = 0;            // T, work units
  double flops_per_unit = 0;   // flop
  double bytes_per_unit = 0;   // B shipped from the source to a chunk's node before it runs
  uint64_t chunks = 0;
  int rounds = 0;              // S, data-sharing rounds
  double round_bytes = 0;      // B each participant sends to the coordinator and receives back per round
  size_t source = 0;           // site whose switch holds the data and coordinates the rounds
  double start = 0;            // s
  std::vector<size_t> nodes;   // eligible nodes
  PolicySpec policy;
  RecoverySpec recovery;
  std::optional<PrintedFigure> printed;
  std::string pointer;

  double chunk_units() const { return units / static_cast<double>(chunks); }
};

// Federated learning (McMahan et al., AISTATS 2017): in each round the aggregator samples clients,
// sends them the model, each trains on its own data and uploads its update, and the aggregator
// averages the updates it accepts. See docs/federated.md.
enum class FlWaitFor { first_k, all };

struct FederatedJob {
  std::string name;
  std::vector<size_t> clients;           // N: nodes that may be sampled
  size_t aggregator = 0;                 // node that aggregates (the cloud, usually)
  std::vector<size_t> edge_aggregators;  // hierarchical: one node per client site; empty when flat
  std::vector<size_t> client_edge;       // hierarchical: each client's edge aggregator (index into edge_aggregators)
  int rounds = 1;
  uint64_t clients_per_round = 0;        // K
  double over_commit = 1;                // sample ceil(K * over_commit) clients
  FlWaitFor wait_for = FlWaitFor::all;
  std::optional<double> deadline;        // s after the round starts: later updates are discarded
  uint64_t min_updates = 1;              // a round with fewer accepted updates fails
  double parameters = 0;                 // m, values of the model (and of an update)
  double bits_per_parameter = 32;
  double samples = 0;                    // per client and round
  double flops_per_sample = 0;           // forward and backward pass of one sample
  int epochs = 1;
  double aggregation_flops_per_parameter = 1;  // per accepted update
  double start = 0;                      // s
  PrivacySpec privacy;
  std::string pointer;

  double model_bytes() const { return parameters * bits_per_parameter / 8.0; }
  double training_flops() const { return samples * flops_per_sample * epochs; }
  bool hierarchical() const { return !edge_aggregators.empty(); }
  uint64_t sampled() const;              // clients sampled per round: min(N, ceil(K * over_commit))
};

// Everything that generates work, all running together: sensor groups (readings or DAG jobs)
// during [0, duration), batch jobs and federated jobs at their start times.
struct Workload {
  double duration = 0;  // s; required when there are groups
  std::vector<SensorGroup> groups;
  std::vector<BatchJob> jobs;
  std::vector<DagTemplate> dags;
  std::vector<FederatedJob> federated;
  bool has_streams() const { return !groups.empty(); }
  bool has_batch() const { return !jobs.empty(); }
  bool has_federated() const { return !federated.empty(); }
};

struct Expectation {
  std::string metric;  // JSON pointer into summary.json
  std::optional<double> min;
  std::optional<double> max;
  std::optional<Json> equals;
  std::string why;
  std::string pointer;  // where it is declared
};

struct OutputSpec {
  double timeline_interval = 0;     // s; 0 picks one hundredth of the expected horizon
  uint64_t max_task_rows = 100000;  // tasks.csv keeps every k-th task beyond this
};

struct Scenario {
  std::string file;          // path it was read from (for messages)
  std::string name;
  std::string description;
  uint64_t seed = 1;
  NetworkSpec network;
  Platform platform;
  Workload workload;
  FaultPlan faults;
  std::vector<Expectation> expect;
  OutputSpec output;
  Prices prices;             // "costs": prices that apply to the whole platform
  Json document;             // the effective JSON (after overrides), for provenance
  // What the user should know although nothing is wrong: defaults that change what a result means
  // (hosts of a SimGrid file without power figures, which draw 0 W).
  struct Note {
    std::string pointer;
    std::string message;
  };
  std::vector<Note> notes;
};

// Hard limits that keep a mistyped scenario from exhausting memory; documented in
// docs/scenario-format.md.
namespace limits {
inline constexpr int64_t max_sites          = 1000;
inline constexpr int64_t max_nodes          = 100000;
inline constexpr int64_t max_cores          = 4096;
inline constexpr int64_t max_sensors        = 1000000000;   // per platform, all groups together
inline constexpr double max_tasks           = 2e9;          // expected tasks of a whole run
inline constexpr int64_t max_chunks         = 10000000;
inline constexpr int64_t max_rounds         = 100000;
inline constexpr int64_t max_fl_clients     = 100000;       // clients of one federated job
inline constexpr double max_duration        = 1e9;          // s
inline constexpr int64_t max_total_cores     = 100000;       // each core is a SimGrid actor with a stack
inline constexpr double max_timeline_rows    = 1e7;          // samples over the arrivals' duration
inline constexpr double max_heartbeats       = 2e9;          // failure-detector messages over the duration
}  // namespace limits

// Parses and validates; throws InputError listing every problem. `loader` reads a SimGrid
// platform file when the scenario names one ("platform": {"simgrid_xml": ...}); without a loader
// such a scenario is an input error.
struct LoadedPlatform;  // models/platform_xml.hpp
using PlatformLoader = std::function<LoadedPlatform(const std::string& path, const NetworkSpec& network)>;
Scenario parse_scenario(const Json& document, const std::string& file, const PlatformLoader& loader = {});

const char* to_string(SiteKind k);
const char* to_string(NodeKind k);
const char* to_string(NetworkModelKind k);
const char* to_string(PolicyKind k);
const char* to_string(ArrivalKind k);
const char* to_string(WorkDistribution d);

}  // namespace leptonsim::models
