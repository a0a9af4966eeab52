// Seeded randomness: one generator per component, derived from the scenario seed and the
// component's name, so adding a component never shifts another component's random numbers.
#pragma once

#include <cstdint>
#include <random>
#include <string_view>

namespace leptonsim::models {

uint64_t fnv1a64(std::string_view data);
uint64_t derive_seed(uint64_t scenario_seed, std::string_view component);
std::mt19937_64 make_rng(uint64_t scenario_seed, std::string_view component);

// Exponential and uniform variates computed from the generator's raw bits, so that results do
// not depend on the standard library's distribution implementations.
double uniform01(std::mt19937_64& rng);    // in [0, 1)
double exponential(std::mt19937_64& rng, double rate);
double standard_normal(std::mt19937_64& rng);  // Box-Muller

}  // namespace leptonsim::models
