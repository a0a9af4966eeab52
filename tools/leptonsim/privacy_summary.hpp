// The parts of summary.json (and federated.csv) that federated jobs and privacy mechanisms add,
// and their lines in the command line's reports. Keys and units: docs/outputs.md.
#pragma once

#include "models/json_input.hpp"
#include "models/scenario.hpp"
#include "sim/run_result.hpp"

#include <ostream>
#include <string>

namespace leptonsim::cli {

models::Json federated_entry(const models::Scenario& scenario, const models::FederatedJob& job,
                             const sim::FederatedResult& result);
models::Json group_privacy_entry(const models::SensorGroup& group, const sim::StreamPrivacyResult& result);
// One row per round of every federated job.
std::string federated_csv(const models::Scenario& scenario, const sim::RunResult& result);

// The closed form of each federated job's round (with the simulated figures when `result` is given).
void print_federated_model(std::ostream& out, const models::Scenario& scenario, const sim::RunResult* result);
// Each sensor group's privacy: what it cost and what it spent.
void print_group_privacy(std::ostream& out, const models::Scenario& scenario, const sim::RunResult& result);

}  // namespace leptonsim::cli
