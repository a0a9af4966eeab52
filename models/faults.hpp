// Failure plans: what fails and when (explicit down/up times, or up and down times drawn from
// MTBF/MTTR distributions), how failures are detected (heartbeats with a period and a timeout),
// and how work recovers (none, retry, replicate, checkpoint). The simulation turns hosts and
// links off and on with SimGrid's own mechanisms.
#pragma once

#include <optional>
#include <random>
#include <string>
#include <vector>

namespace leptonsim::models {

// What a failure takes down. A site takes all its nodes (compute and QPU) and their access links,
// as a power outage would; its switch and backbone stay up.
struct FaultTarget {
  enum class Kind { node, access_link, backbone_link, site } kind = Kind::node;
  size_t index = 0;  // node, node (its access link), Platform::links, or site index
  std::string name;
};

struct ExplicitFault {
  FaultTarget target;
  double down = 0;             // s
  std::optional<double> up;    // s; never repaired when absent
  std::string pointer;
};

enum class FailureDistribution { exponential, weibull };

// Each target alternates up times drawn with mean `mtbf` and repair times with mean `mttr`.
struct RandomFaults {
  std::vector<FaultTarget> targets;
  double mtbf = 0;  // s
  double mttr = 0;  // s, repairs are exponential
  FailureDistribution distribution = FailureDistribution::exponential;
  double shape = 1;  // Weibull shape k (k < 1: infant mortality, k > 1: wear-out)
  std::string pointer;
};

struct Detection {
  double period  = 1.0;  // s between two heartbeats of a node
  double timeout = 3.0;  // s without a heartbeat before a node is declared down
};

enum class RecoveryStrategy { none, retry, replicate, checkpoint };

struct RecoverySpec {
  RecoveryStrategy strategy = RecoveryStrategy::none;
  int max_attempts = 3;     // retry and checkpoint: executions of one task, the first included
  double backoff   = 0.1;   // s before a retry, doubled at each further attempt
  int copies       = 2;     // replicate
  double interval  = 1.0;   // checkpoint: s of execution between two checkpoints
  double cost      = 0.01;  // checkpoint: s a checkpoint occupies the core
};

struct FaultPlan {
  std::vector<ExplicitFault> events;
  std::vector<RandomFaults> random;
  Detection detection;
  RecoverySpec recovery;  // default for groups and jobs that give none
  bool enabled = false;   // a "faults" section is present
};

const char* to_string(RecoveryStrategy s);

// A failure time with the given mean: exponential, or Weibull with shape k and scale
// mean / Gamma(1 + 1/k).
double draw_uptime(const RandomFaults& f, std::mt19937_64& rng);
double draw_repair(const RandomFaults& f, std::mt19937_64& rng);

}  // namespace leptonsim::models
