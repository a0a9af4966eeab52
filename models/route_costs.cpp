#include "models/route_costs.hpp"

namespace leptonsim::models {
namespace {

uint64_t key_of(Endpoint e)
{
  return (static_cast<uint64_t>(e.index) << 1) | (e.kind == Endpoint::Kind::site ? 1u : 0u);
}

}  // namespace

const RouteSummary& RouteCosts::summary(Endpoint from, Endpoint to) const
{
  const uint64_t key = (key_of(from) << 32) ^ key_of(to);
  auto it            = cache_.find(key);
  if (it != cache_.end())
    return it->second;
  return cache_.emplace(key, topology_.route_summary(from, to)).first->second;
}

}  // namespace leptonsim::models
