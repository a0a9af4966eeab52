// Federated learning rounds as a closed form: what one round costs on idle links when every
// sampled client starts together. A round sends the model to the sampled clients (through their
// edge aggregator when hierarchical), each trains for samples x flops per sample x epochs on one
// core, uploads its update (masked, with secure aggregation, after the protocol's key rounds), and
// the aggregator sums the updates it accepts. Transfers of one step share links as max-min
// fairness shares them (models/concurrent_flows.hpp); uploads only with the clients that finish
// training at the same moment. With classes of identical clients and no failures the simulation
// reproduces it; see docs/federated.md for the formulas and where they hold.
#pragma once

#include "models/network_model.hpp"
#include "models/scenario.hpp"
#include "models/topology.hpp"

#include <cstdint>
#include <vector>

namespace leptonsim::models {

// What crosses the network and runs where, per client and per collector, with the job's privacy
// mechanisms applied.
double fl_download_bytes(const FederatedJob& job);  // the model to one client: m * bits / 8, times the HE expansion
double fl_update_bytes(const FederatedJob& job);    // one plain update: the same, times the MPC parties
double fl_forward_bytes(const FederatedJob& job);   // a partial aggregate from an edge aggregator
double fl_client_flops(const FederatedJob& job);    // local training, plus HE encryption and decryption
// The aggregation task of a collector that accepted `updates` updates (`cloud`: it adds the DP noise).
double fl_aggregation_flops(const FederatedJob& job, uint64_t updates, bool cloud);
// Updates a collector waits for among `sampled` of the round's `total_sampled` clients.
uint64_t fl_quota(const FederatedJob& job, uint64_t sampled, uint64_t total_sampled);

struct FederatedRoundPrediction {
  uint64_t sampled  = 0;          // clients sampled
  uint64_t included = 0;          // updates the aggregator(s) accept
  double download   = 0;          // s, slowest model download among the included clients
  double compute    = 0;          // s, slowest local training among them
  double upload     = 0;          // s, slowest update upload (the masked input with secure aggregation)
  double secure_aggregation = 0;  // s, the protocol's other exchanges and client tasks
  double edge       = 0;          // s, hierarchical: edge aggregation and forwarding
  double aggregation = 0;         // s, the aggregator's task
  double round      = 0;          // s, from the round's start to the end of its aggregation
};

// The round with these sampled clients (node indices).
FederatedRoundPrediction predict_federated_round(const Scenario& scenario, const Topology& topology,
                                                 const NetworkModelParams& net, const FederatedJob& job,
                                                 const std::vector<size_t>& sampled);
// The first ceil(K * over_commit) clients: the sample `leptonsim model` evaluates.
std::vector<size_t> representative_sample(const FederatedJob& job);

// Tasks one job submits (training, secure-aggregation client tasks, aggregations), for the size check.
double expected_federated_tasks(const FederatedJob& job);

}  // namespace leptonsim::models
