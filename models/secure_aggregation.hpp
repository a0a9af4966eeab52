// Secure aggregation (Bonawitz et al., "Practical Secure Aggregation for Privacy-Preserving Machine
// Learning", CCS 2017): the server learns only the sum of the clients' updates. Each client agrees
// pairwise keys with every other one, secret-shares its keys (Shamir, threshold t), masks its
// update with pairwise and self masks, and later sends the shares that let the server remove the
// masks of the clients that dropped out. This file gives the bytes, messages and flop of each of
// the protocol's four rounds (semi-honest variant), as the paper's section 7.1 counts them:
//   client: computation O(n^2 + m n), communication O(n + m),
//           exactly 2 n a_K + (5 n - 4) a_S + m ceil(log2 R) bits over the four rounds;
//   server: computation O(m n^2), communication O(n^2 + m n).
// n clients, m values in an update, a_K and a_S the sizes of a public key and of a secret share.
#pragma once

#include <array>
#include <cstdint>

namespace leptonsim::models {

struct SecAggParams {
  double key_bytes   = 32;    // a_K: one public key (X25519)
  double share_bytes = 32;    // a_S: one Shamir share (256-bit field element)
  double value_bits  = 32;    // fixed-point bits of one update value before masking
  double threshold   = 0.5;   // t = floor(threshold * n) + 1 shares reconstruct a secret
  double key_agreement_flops = 3e5;  // one Diffie-Hellman key agreement
  double prg_flops_per_value = 8;    // expanding a seed into one mask value (AES-CTR)
  double field_op_flops      = 150;  // one multiply-add in the 256-bit Shamir field
};

// The protocol's rounds, as the client sees them.
enum SecAggRound : int { advertise_keys = 0, share_keys = 1, masked_input = 2, unmasking = 3 };

struct SecAggCost {
  uint64_t clients   = 0;  // n, clients that started the protocol
  uint64_t dropped   = 0;  // clients that sent their shares but not their masked input
  uint64_t threshold = 0;  // t
  // Per client and round: bytes the client sends (up) and receives (down).
  std::array<double, 4> up_bytes{};
  std::array<double, 4> down_bytes{};
  double masked_value_bits = 0;  // ceil(log2 R) = value_bits + ceil(log2 n): the sum of n values must not wrap
  double client_bytes      = 0;  // per client, both directions, all rounds
  double server_bytes      = 0;  // all clients together, both directions
  uint64_t messages        = 0;  // 4 up per client, 3 down (the last round has no answer)
  double client_setup_flops = 0;  // key agreements and secret sharing, after advertise_keys
  double client_mask_flops  = 0;  // pairwise and self masks, before masked_input
  double server_flops       = 0;  // unmasking: Shamir reconstruction, masks of the dropped and self masks
  bool recoverable          = true;  // enough survivors (>= t) to reconstruct
};

// Cost of one run of the protocol among `clients` with updates of `values` numbers, of which
// `dropped` drop out after the share_keys round.
SecAggCost secure_aggregation_cost(const SecAggParams& p, uint64_t clients, double values, uint64_t dropped = 0);

}  // namespace leptonsim::models
