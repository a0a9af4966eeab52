#include "models/rng.hpp"

#include <cmath>

namespace leptonsim::models {

uint64_t fnv1a64(std::string_view data)
{
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : data) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

uint64_t derive_seed(uint64_t scenario_seed, std::string_view component)
{
  // splitmix64 finaliser over the mixed inputs
  uint64_t z = scenario_seed ^ fnv1a64(component);
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::mt19937_64 make_rng(uint64_t scenario_seed, std::string_view component)
{
  return std::mt19937_64(derive_seed(scenario_seed, component));
}

double uniform01(std::mt19937_64& rng)
{
  return static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

double exponential(std::mt19937_64& rng, double rate)
{
  return -std::log1p(-uniform01(rng)) / rate;
}

}  // namespace leptonsim::models

namespace leptonsim::models {

double standard_normal(std::mt19937_64& rng)
{
  const double u1 = 1.0 - uniform01(rng);  // in (0, 1]
  const double u2 = uniform01(rng);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
}

}  // namespace leptonsim::models
