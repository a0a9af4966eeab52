// Secret-sharing multi-party computation (additive shares with Beaver triples, semi-honest, as in
// SPDZ's online phase: Damgård, Pastro, Smart and Zakarias, CRYPTO 2012). An input is split into n
// shares, one per party: its bytes are sent n times. Additions are local; each multiplication opens
// two masked values, every party sending 2 field elements to each other party, and the
// multiplications of one layer of the circuit share one round: a circuit of multiplicative depth D
// needs D communication rounds, after the one that distributes the input shares and before the one
// that sends the output shares to whoever learns the result: D + 2 in all.
// Triples are made in advance (the offline phase), which this model does not charge.
#pragma once

#include <cstdint>

namespace leptonsim::models {

struct MpcParams {
  uint64_t parties = 3;         // n
  double multiplications = 0;   // per input (reading or update)
  uint64_t depth = 1;           // multiplicative depth: communication rounds of the online phase
  double element_bytes = 8;     // one share of one value (a 64-bit ring)
  double output_bytes = 8;      // a party's share of the result
  // Local work per multiplication beyond the one multiplication done in the clear: computing the two
  // openings (2 subtractions) and [z] = [c] + d [b] + e [a] + d e (3 multiplications, 3 additions).
  static constexpr double extra_flops_per_multiplication = 7;
};

struct MpcCost {
  double input_bytes = 0;        // all shares of the input: n * bytes
  double opening_bytes = 0;      // per ordered pair of parties and per round: 2 * (M / D) * element_bytes
  double online_bytes = 0;       // all openings: 2 M n (n - 1) element_bytes
  double output_bytes = 0;       // (n - 1) shares of the result to the output party
  uint64_t rounds = 0;           // D + 2: input shares, D rounds of openings, output shares
  uint64_t messages = 0;         // n (input) + D n (n - 1) + (n - 1)
  double party_flops = 0;        // each party: the computation in the clear on its share, plus the Beaver extra
};

// Cost of one input of `bytes` whose computation in the clear takes `flops`.
MpcCost mpc_cost(const MpcParams& p, double bytes, double flops);

}  // namespace leptonsim::models
