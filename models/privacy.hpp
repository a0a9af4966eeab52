// The privacy mechanisms a sensor group or a federated job may carry, as parsed from a scenario's
// "privacy" object: differential privacy with its budget, secure aggregation (federated only),
// secret-sharing MPC and homomorphic encryption. What each one costs per reading and per round:
// docs/federated.md#privacy-mechanisms.
#pragma once

#include "models/dp.hpp"
#include "models/homomorphic.hpp"
#include "models/json_input.hpp"
#include "models/mpc.hpp"
#include "models/secure_aggregation.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace leptonsim::models {

struct DpSpec {
  DpMechanism mechanism;
  PrivacyBudget budget;
  uint64_t releases_allowed = 0;  // the most releases (per sensor, or rounds) within the budget
};

struct PrivacySpec {
  std::optional<DpSpec> dp;
  std::optional<SecAggParams> secure_aggregation;  // federated jobs only
  std::optional<MpcParams> mpc;
  std::vector<std::vector<size_t>> mpc_parties;    // sensor groups: the nodes each party may run on
  std::optional<HeScheme> he;
  double plain_flops = 0;  // sensor groups: mean flop and bytes of a reading in the clear, before the
  double plain_bytes = 0;  // mechanisms changed them
  bool any() const { return dp || secure_aggregation || mpc || he; }
};

// Where a "privacy" object is attached: what it may hold differs.
enum class PrivacyHost { sensor_group, federated_job };

// Resolves one MPC party's name to the nodes it may run on (sensor groups), or reports why not.
using PartyResolver = std::function<std::optional<std::vector<size_t>>(const Json& name, const std::string& pointer)>;

// Reads a "privacy" object; every problem goes to `diagnostics` with its pointer. Returns nothing
// when the object has errors.
std::optional<PrivacySpec> read_privacy(const Json& value, const std::string& pointer, Diagnostics& diagnostics,
                                        PrivacyHost host, const PartyResolver& resolve_party);

}  // namespace leptonsim::models
