// Small scenarios for simulation tests, written as JSON so that they go through the same parser
// and validation as a user's files.
#pragma once

#include "models/scenario.hpp"

#include <string>

namespace leptonsim::test {

models::Scenario scenario_from(const std::string& json_text);

// One edge site of `nodes` identical nodes and one stream group of Poisson sensors.
models::Json poisson_stream(int nodes, int cores, double speed, double readings_per_s, double flops,
                            double duration, const std::string& policy = "least_loaded");

}  // namespace leptonsim::test
