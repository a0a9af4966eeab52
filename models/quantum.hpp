// The quantum co-processor as a device with measured characteristics, and quantum key
// distribution (QKD) as a key rate. A circuit job's duration follows the shot-by-shot execution
// of its circuits on the device; its success probability follows from the gate and readout
// error rates. Presets and their sources: docs/quantum.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace leptonsim::models {

struct QpuDevice {
  std::string name = "custom";
  int qubits = 0;
  double gate_1q_time = 0;     // s
  double gate_2q_time = 0;     // s
  double error_1q = 0;         // per gate
  double error_2q = 0;         // per gate
  double readout_time = 0;     // s
  double readout_error = 0;    // per measured qubit
  double repetition_delay = 0; // s between two shots (reset and wait)
  uint64_t max_shots = 0;      // per circuit
  uint64_t max_circuits = 0;   // per job
  double job_overhead = 0;     // s per job (loading, compilation, result return)

  // One layer: a round of single-qubit gates, then a round of two-qubit gates.
  double layer_time() const { return gate_1q_time + gate_2q_time; }
};

// The devices leptonsim knows by name.
const std::vector<QpuDevice>& qpu_presets();
std::optional<QpuDevice> qpu_preset(const std::string& name);

struct Circuit {
  int qubits = 0;
  int layers = 0;               // depth in layers
  uint64_t two_qubit_gates = 0;
  std::optional<uint64_t> one_qubit_gates; // defaults to qubits * layers
  uint64_t shots = 0;
  uint64_t circuits = 1;        // circuits in the job
};

// circuits * shots * (layers * layer time + readout + repetition delay) + job overhead
double circuit_job_time(const QpuDevice& device, const Circuit& circuit);
// Probability that one shot of one circuit runs without a gate or readout error:
// (1 - e1)^n1 * (1 - e2)^n2 * (1 - e_readout)^qubits
double circuit_success_probability(const QpuDevice& device, const Circuit& circuit);

// CLOPS_h (Wack et al. 2021, with layers counted on the hardware): M templates, K parameter
// updates (one job each), S shots, D layers; M * K * S * D layers executed per second.
double clops_h(const QpuDevice& device, int qubits, int templates = 100, int updates = 10, uint64_t shots = 100,
               int layers = 100);

// Secret key rate (bit/s) of a prepare-and-measure QKD link over `fibre_km` of fibre: pulses per
// second x mean photon number x detector efficiency x protocol efficiency (sifting, error
// correction, privacy amplification) x transmittance 10^(-alpha L / 10).
struct QkdLinkModel {
  double pulse_rate = 1e9;           // Hz
  double mean_photons = 0.5;
  double detector_efficiency = 0.25;
  double protocol_efficiency = 0.1;
  double attenuation = 0.2;          // dB/km
};
double qkd_key_rate(const QkdLinkModel& model, double fibre_km);

}  // namespace leptonsim::models
