#include "models/secure_aggregation.hpp"

#include <cmath>

namespace leptonsim::models {

SecAggCost secure_aggregation_cost(const SecAggParams& p, uint64_t clients, double values, uint64_t dropped)
{
  SecAggCost c;
  c.clients   = clients;
  c.dropped   = dropped > clients ? clients : dropped;
  const double n = static_cast<double>(clients);
  const double s = n - static_cast<double>(c.dropped);  // survivors
  const double d = static_cast<double>(c.dropped);
  c.threshold     = static_cast<uint64_t>(std::floor(p.threshold * n)) + 1;
  const double t  = static_cast<double>(c.threshold);
  c.recoverable   = s >= t;
  c.masked_value_bits = p.value_bits + (clients > 1 ? std::ceil(std::log2(n)) : 0.0);
  // Round 0: two public keys up (c and s keys); the other 2 (n - 1) keys come back.
  c.up_bytes[advertise_keys]   = 2 * p.key_bytes;
  c.down_bytes[advertise_keys] = 2 * (n - 1) * p.key_bytes;
  // Round 1: an encrypted share of s_SK and of b for each other client, up; theirs for it, down.
  c.up_bytes[share_keys]   = 2 * (n - 1) * p.share_bytes;
  c.down_bytes[share_keys] = 2 * (n - 1) * p.share_bytes;
  // Round 2: the masked update; the server's list of survivors back (not counted by the paper).
  c.up_bytes[masked_input]   = std::ceil(values * c.masked_value_bits / 8.0);
  c.down_bytes[masked_input] = 0;
  // Round 3: n shares (b of survivors, s_SK of the dropped); no answer.
  c.up_bytes[unmasking]   = n * p.share_bytes;
  c.down_bytes[unmasking] = 0;
  for (int r = 0; r < 4; ++r)
    c.client_bytes += c.up_bytes[r] + c.down_bytes[r];
  // Every client takes part in rounds 0 and 1; survivors in rounds 2 and 3.
  c.server_bytes = n * (c.up_bytes[0] + c.down_bytes[0] + c.up_bytes[1] + c.down_bytes[1]) +
                   s * (c.up_bytes[2] + c.down_bytes[2] + c.up_bytes[3] + c.down_bytes[3]);
  c.messages = static_cast<uint64_t>(2 * n + 2 * n + 2 * s + s);
  // Client: 2 (n - 1) key agreements (encryption and mask keys) and Shamir shares of two secrets
  // (n shares of degree t - 1 each); then n masks of m values (n - 1 pairwise, one self).
  c.client_setup_flops = 2 * (n - 1) * p.key_agreement_flops + 2 * n * t * p.field_op_flops;
  c.client_mask_flops  = n * values * p.prg_flops_per_value;
  // Server: Lagrange coefficients of the t responders (t^2) and one reconstruction per client (t
  // each); for each dropped client, its key agreement with each survivor and that pairwise mask;
  // each survivor's self mask.
  c.server_flops = (t * t + n * t) * p.field_op_flops + d * s * p.key_agreement_flops +
                   (d * s + s) * values * p.prg_flops_per_value;
  return c;
}

}  // namespace leptonsim::models
