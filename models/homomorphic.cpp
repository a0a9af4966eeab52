#include "models/homomorphic.hpp"

namespace leptonsim::models {

double ckks_expansion(double ring_degree, double log_q, double value_bytes)
{
  return 2.0 * ring_degree * log_q / ((ring_degree / 2.0) * 8.0 * value_bytes);
}

double paillier_expansion(double modulus_bits, double value_bytes)
{
  return 2.0 * modulus_bits / (8.0 * value_bytes);
}

const std::vector<HeScheme>& he_presets()
{
  // Derivations (operation counts, one 64-bit word operation counted as one flop) in
  // docs/federated.md#homomorphic-encryption.
  static const std::vector<HeScheme> presets = {
      // CKKS, N = 8192, coefficient modulus 60+40+40+60 = 200 bits (Microsoft SEAL's CKKS example),
      // 4096 slots of 32-bit values: expansion 25. An addition adds 2 x 8192 x 4 residues for 4096
      // values (16 per value); a multiplication with relinearisation and rescaling costs about
      // 4 x 10^6 word operations for 4096 values (about 1000 per value).
      {"ckks", ckks_expansion(8192, 200, 4), 1000, 16, 300, 75, 4},
      // Paillier with a 2048-bit modulus (112-bit security, NIST SP 800-57): a ciphertext of 4096 bits
      // per 32-bit value: expansion 128. An addition is one multiplication modulo n^2 (about 10^4 word
      // operations); a multiplication by a 32-bit constant an exponentiation (about 50 of them);
      // encryption r^n mod n^2 about 3000 of them; decryption with the CRT about a third of that.
      {"paillier", paillier_expansion(2048, 4), 5e5, 1e4, 3e7, 1e7, 4},
  };
  return presets;
}

std::optional<HeScheme> he_preset(const std::string& name)
{
  for (const auto& s : he_presets())
    if (s.name == name)
      return s;
  return std::nullopt;
}

}  // namespace leptonsim::models
