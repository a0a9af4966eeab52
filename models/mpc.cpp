#include "models/mpc.hpp"

namespace leptonsim::models {

MpcCost mpc_cost(const MpcParams& p, double bytes, double flops)
{
  MpcCost c;
  const double n = static_cast<double>(p.parties);
  const double D = static_cast<double>(p.depth);
  c.input_bytes   = n * bytes;
  c.opening_bytes = 2.0 * (p.multiplications / D) * p.element_bytes;
  c.online_bytes  = c.opening_bytes * D * n * (n - 1);
  c.output_bytes  = (n - 1) * p.output_bytes;
  c.rounds        = p.depth + 2;
  c.messages      = p.parties + p.depth * p.parties * (p.parties - 1) + (p.parties - 1);
  c.party_flops   = flops + MpcParams::extra_flops_per_multiplication * p.multiplications;
  return c;
}

}  // namespace leptonsim::models
