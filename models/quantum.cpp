#include "models/quantum.hpp"

#include <algorithm>
#include <cmath>

namespace leptonsim::models {

const std::vector<QpuDevice>& qpu_presets()
{
  // Published calibration data; docs/quantum.md gives the source of each figure and the spread
  // across devices of a family. Override any of them with a device's own calibration.
  static const std::vector<QpuDevice> presets{
      // IBM Heron r2, ibm_fez's medians (calibration of 2025-02-26): 156 qubits, CZ gates.
      {"ibm_heron_r2", 156, 24e-9, 84e-9, 2.3e-4, 3.8e-3, 1.56e-6, 7.6e-3, 250e-6, 100000, 300, 1.0},
      // IBM Eagle r3, ibm_brisbane's medians (calibration of 2025-02-26): 127 qubits, ECR gates.
      {"ibm_eagle_r3", 127, 60e-9, 660e-9, 2.4e-4, 7.7e-3, 1.3e-6, 2.0e-2, 250e-6, 100000, 300, 1.0},
      // IonQ Aria: 25 trapped-ion qubits, all-to-all connectivity.
      {"ionq_aria", 25, 135e-6, 600e-6, 5.0e-4, 4.0e-3, 300e-6, 3.9e-3, 20e-6, 10000, 1, 1.0},
  };
  return presets;
}

std::optional<QpuDevice> qpu_preset(const std::string& name)
{
  for (const auto& d : qpu_presets())
    if (d.name == name)
      return d;
  return std::nullopt;
}

double circuit_job_time(const QpuDevice& device, const Circuit& c)
{
  const double shot = c.layers * device.layer_time() + device.readout_time + device.repetition_delay;
  return static_cast<double>(c.circuits) * static_cast<double>(c.shots) * shot + device.job_overhead;
}

double circuit_success_probability(const QpuDevice& device, const Circuit& c)
{
  const double one_qubit =
      c.one_qubit_gates ? static_cast<double>(*c.one_qubit_gates) : static_cast<double>(c.qubits) * c.layers;
  return std::pow(1.0 - device.error_1q, one_qubit) *
         std::pow(1.0 - device.error_2q, static_cast<double>(c.two_qubit_gates)) *
         std::pow(1.0 - device.readout_error, c.qubits);
}

double clops_h(const QpuDevice& device, int qubits, int templates, int updates, uint64_t shots, int layers)
{
  Circuit c;
  c.qubits   = qubits;
  c.layers   = layers;
  c.shots    = shots;
  c.circuits = static_cast<uint64_t>(templates);
  const double time = updates * circuit_job_time(device, c);
  return static_cast<double>(templates) * updates * static_cast<double>(shots) * layers / time;
}

double qkd_key_rate(const QkdLinkModel& m, double fibre_km)
{
  const double transmittance = std::pow(10.0, -m.attenuation * fibre_km / 10.0);
  return m.pulse_rate * m.mean_photons * m.detector_efficiency * m.protocol_efficiency * transmittance;
}

}  // namespace leptonsim::models
