// Homomorphic encryption as cost factors: a ciphertext is `expansion` times larger than the
// plaintext it holds, computing on ciphertexts is `slowdown` times slower than in the clear
// (`add_slowdown` for additions alone, which is all an aggregation needs), and encrypting and
// decrypting cost flop per value. Presets for CKKS (packed, approximate arithmetic; Cheon, Kim,
// Kim and Song, ASIACRYPT 2017) and Paillier (additive; Paillier, EUROCRYPT 1999), derived in
// docs/federated.md#homomorphic-encryption; each figure can be overridden.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace leptonsim::models {

struct HeScheme {
  std::string name = "custom";
  double expansion     = 1;  // ciphertext bytes / plaintext bytes
  double slowdown      = 1;  // time of a computation on ciphertexts / in the clear
  double add_slowdown  = 1;  // the same for additions only
  double encrypt_flops = 0;  // per plaintext value
  double decrypt_flops = 0;  // per plaintext value
  double value_bytes   = 4;  // plaintext bytes of one value (32-bit)
};

const std::vector<HeScheme>& he_presets();
std::optional<HeScheme> he_preset(const std::string& name);

// CKKS with ring degree N and a ciphertext modulus of log_q bits holds N/2 values in two polynomials
// of N coefficients of log_q bits: expansion = 2 N log_q / ((N / 2) * 8 * value_bytes).
double ckks_expansion(double ring_degree, double log_q, double value_bytes);
// Paillier with a modulus n of modulus_bits holds one value in a number modulo n^2.
double paillier_expansion(double modulus_bits, double value_bytes);

}  // namespace leptonsim::models
