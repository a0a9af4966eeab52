// The quantum device model against hand computation and published figures: circuit job time,
// success probability, CLOPS_h of the Heron preset, the QKD rate-loss relation, and circuits that
// the device cannot run.
#include "models/quantum.hpp"
#include "models/scenario.hpp"

#include <doctest/doctest.h>

#include <cmath>

using namespace leptonsim::models;

namespace {

QpuDevice preset(const std::string& name)
{
  auto d = qpu_preset(name);
  REQUIRE(d.has_value());
  return *d;
}

Circuit circuit(int qubits, int layers, uint64_t two_qubit_gates, uint64_t shots, uint64_t circuits = 1)
{
  Circuit c;
  c.qubits          = qubits;
  c.layers          = layers;
  c.two_qubit_gates = two_qubit_gates;
  c.shots           = shots;
  c.circuits        = circuits;
  return c;
}

}  // namespace

TEST_CASE("the presets carry the published figures docs/quantum.md cites")
{
  const auto heron = preset("ibm_heron_r2");
  CHECK(heron.qubits == 156);
  CHECK(heron.gate_2q_time == doctest::Approx(84e-9));
  CHECK(heron.readout_time == doctest::Approx(1.56e-6));
  CHECK(heron.repetition_delay == doctest::Approx(250e-6));
  CHECK(heron.max_shots == 100000);
  CHECK(heron.max_circuits == 300);
  const auto eagle = preset("ibm_eagle_r3");
  CHECK(eagle.qubits == 127);
  CHECK(eagle.gate_2q_time == doctest::Approx(660e-9));
  CHECK(eagle.error_2q == doctest::Approx(7.7e-3));
  const auto aria = preset("ionq_aria");
  CHECK(aria.qubits == 25);
  CHECK(aria.gate_1q_time == doctest::Approx(135e-6));
  CHECK(aria.gate_2q_time == doctest::Approx(600e-6));
  CHECK(aria.error_2q == doctest::Approx(1 - 0.996));
  CHECK_FALSE(qpu_preset("ibm_heron").has_value());
}

TEST_CASE("a circuit job takes circuits x shots x (layers x layer time + readout + repetition delay) + overhead")
{
  // Eagle r3: a layer is 60 + 660 ns. 3 circuits x 4,000 shots x (50 x 720 ns + 1.3 us + 250 us) + 1 s.
  CHECK(circuit_job_time(preset("ibm_eagle_r3"), circuit(20, 50, 100, 4000, 3)) == doctest::Approx(4.4476));
  // Aria: a layer is 135 + 600 us. 1,000 shots x (20 x 735 us + 300 us + 20 us) + 1 s.
  CHECK(circuit_job_time(preset("ionq_aria"), circuit(10, 20, 40, 1000)) == doctest::Approx(16.02));
  // Heron r2: one layer (108 ns) is lost in the 250 us repetition delay; the shots dominate.
  const auto heron = preset("ibm_heron_r2");
  CHECK(circuit_job_time(heron, circuit(100, 1, 0, 100000)) == doctest::Approx(100000 * 251.668e-6 + 1.0));
  // Twice the shots: twice the device time, the same overhead.
  const double one = circuit_job_time(heron, circuit(30, 12, 90, 4000)) - heron.job_overhead;
  const double two = circuit_job_time(heron, circuit(30, 12, 90, 8000)) - heron.job_overhead;
  CHECK(two == doctest::Approx(2 * one));
}

TEST_CASE("the success probability of a shot is the product of gate and readout fidelities")
{
  // Heron r2, 5 qubits, 4 layers: 20 one-qubit gates (qubits x layers by default), 8 CZ, 5 readouts.
  const auto heron = preset("ibm_heron_r2");
  const double p   = std::pow(1 - 2.3e-4, 20) * std::pow(1 - 3.8e-3, 8) * std::pow(1 - 7.6e-3, 5);
  CHECK(p == doctest::Approx(0.9294116089));
  CHECK(circuit_success_probability(heron, circuit(5, 4, 8, 1000)) == doctest::Approx(p));
  // Aria with the one-qubit gates given: 7 of them, 12 two-qubit gates, 3 readouts.
  auto c            = circuit(3, 4, 12, 1000);
  c.one_qubit_gates = 7;
  CHECK(circuit_success_probability(preset("ionq_aria"), c) == doctest::Approx(0.9386430537));
  // Circuits of two-qubit gates only: no one-qubit gate error, when said so.
  auto cz_only            = circuit(5, 4, 8, 1000);
  cz_only.one_qubit_gates = 0;
  CHECK(circuit_success_probability(heron, cz_only) ==
        doctest::Approx(std::pow(1 - 3.8e-3, 8) * std::pow(1 - 7.6e-3, 5)));
  // More two-qubit gates can only lower it.
  CHECK(circuit_success_probability(heron, circuit(5, 4, 80, 1000)) < p);
}

TEST_CASE("CLOPS_h of the Heron preset is within a factor of 2 of the 195000 IBM publishes for Heron r2")
{
  // The benchmark: 100 templates x 10 parameter updates x 100 shots x 100 layers = 10^7 layer
  // operations, each update one job of 100 circuits. A shot lasts 100 x 108 ns + 1.56 us + 250 us
  // = 262.36 us; a job 100 x 100 x 262.36 us + 1 s = 3.6236 s; ten jobs 36.236 s.
  const double clops = clops_h(preset("ibm_heron_r2"), 100);
  CHECK(clops == doctest::Approx(1e7 / 36.236));
  const double published = 195000;  // clops_h of ibm_fez and ibm_marrakesh (docs/quantum.md)
  CHECK(clops > published / 2);
  CHECK(clops < published * 2);
  // Eagle r3's slower two-qubit gate adds 100 x 0.6 us per shot: a little slower still.
  CHECK(clops_h(preset("ibm_eagle_r3"), 100) < clops);
}

TEST_CASE("the QKD key rate falls as 10^(-alpha L / 10) with the fibre length")
{
  const QkdLinkModel m;  // 1 GHz x 0.5 photons x 0.25 detection x 0.1 protocol, 0.2 dB/km
  CHECK(qkd_key_rate(m, 0) == doctest::Approx(12.5e6));
  CHECK(qkd_key_rate(m, 50) == doctest::Approx(1.25e6));   // 10 dB
  CHECK(qkd_key_rate(m, 100) == doctest::Approx(1.25e5));  // 20 dB
  const double lengths[] = {0, 10, 25, 40, 80, 150};
  for (double a : lengths)
    for (double b : lengths) {
      CAPTURE(a);
      CAPTURE(b);
      CHECK(qkd_key_rate(m, b) / qkd_key_rate(m, a) == doctest::Approx(std::pow(10.0, -0.2 * (b - a) / 10)));
    }
  // A lossier fibre: 0.35 dB/km takes 35 dB over 100 km.
  QkdLinkModel lossy = m;
  lossy.attenuation  = 0.35;
  CHECK(qkd_key_rate(lossy, 100) == doctest::Approx(12.5e6 * std::pow(10.0, -3.5)));
}

namespace {

// A QPU with a Heron device at the cloud and a DAG whose one task is the given circuit.
Json circuit_scenario(const Json& circuit)
{
  auto doc = Json::parse(R"({
    "name": "q",
    "platform": {
      "sites": [{"name": "edge", "link": {"bandwidth": "1Gbps", "latency": "1ms"},
                 "nodes": [{"name": "n", "speed": "1Gf"}]}],
      "qpu": {"site": "edge", "speed": "1Gf", "link": {"bandwidth": "1Gbps", "latency": "1ms"},
              "device": "ibm_heron_r2"}
    },
    "workload": {"duration": "10s",
      "dags": [{"name": "d", "tasks": [{"name": "sample", "kind": "qpu"}]}],
      "groups": [{"name": "g", "site": "edge", "sensors": 1, "period": "1s", "job": "d"}]}
  })");
  doc["workload"]["dags"][0]["tasks"][0]["circuit"] = circuit;
  return doc;
}

std::vector<Diagnostic> problems(const Json& doc)
{
  try {
    parse_scenario(doc, "q.json");
  } catch (const InputError& e) {
    return e.problems();
  }
  return {};
}

bool has_problem(const Json& doc, const std::string& pointer, const std::string& fragment)
{
  for (const auto& p : problems(doc))
    if (p.pointer == pointer && p.message.find(fragment) != std::string::npos)
      return true;
  return false;
}

const std::string circuit_pointer = "/workload/dags/0/tasks/0/circuit";

}  // namespace

TEST_CASE("a circuit the device can run is accepted and timed by the device")
{
  const auto s = parse_scenario(circuit_scenario({{"qubits", 156}, {"layers", 10}, {"shots", 100000}}), "q.json");
  REQUIRE(s.platform.qpu_spec.device.has_value());
  CHECK(s.platform.qpu_spec.device->name == "ibm_heron_r2");
  REQUIRE(s.workload.dags.at(0).tasks.at(0).circuit.has_value());
  CHECK(s.workload.dags[0].tasks[0].circuit->shots == 100000);
}

TEST_CASE("jobs that need more qubits or shots or circuits than the device has are rejected with pointers")
{
  CHECK(has_problem(circuit_scenario({{"qubits", 157}, {"layers", 10}, {"shots", 1000}}), circuit_pointer + "/qubits",
                    "needs 157 qubits but device 'ibm_heron_r2' has 156"));
  CHECK(has_problem(circuit_scenario({{"qubits", 10}, {"layers", 10}, {"shots", 100001}}), circuit_pointer + "/shots",
                    "100001 shots exceed the 100000 per circuit that device 'ibm_heron_r2' allows"));
  CHECK(has_problem(circuit_scenario({{"qubits", 10}, {"layers", 10}, {"shots", 1000}, {"circuits", 301}}),
                    circuit_pointer + "/circuits", "301 circuits exceed"));
  // All at once, each at its own pointer.
  CHECK(problems(circuit_scenario({{"qubits", 200}, {"layers", 1}, {"shots", 200000}, {"circuits", 1000}})).size() ==
        3);
  // A device overridden to fewer qubits rejects what the preset would take.
  auto doc = circuit_scenario({{"qubits", 100}, {"layers", 10}, {"shots", 1000}});
  doc["platform"]["qpu"]["device"] = {{"preset", "ibm_heron_r2"}, {"qubits", 64}};
  CHECK(has_problem(doc, circuit_pointer + "/qubits", "needs 100 qubits but device 'ibm_heron_r2' has 64"));
}

TEST_CASE("device and QKD inputs that make no sense are refused")
{
  auto doc = circuit_scenario({{"qubits", 5}, {"layers", 1}, {"shots", 10}});
  doc["platform"]["qpu"]["device"] = "ibm_heron_r3";
  CHECK(has_problem(doc, "/platform/qpu/device", "did you mean 'ibm_heron_r2'?"));
  doc["platform"]["qpu"]["device"] = {{"qubits", 5}};  // neither a preset nor every figure
  CHECK(has_problem(doc, "/platform/qpu/device/gate_2q_time", "required"));

  auto qkd = Json::parse(R"({
    "name": "k",
    "platform": {"sites": [
      {"name": "a", "link": {"bandwidth": "1Gbps", "latency": "1ms"}, "nodes": [{"name": "n", "speed": "1Gf"}]},
      {"name": "b", "link": {"bandwidth": "1Gbps", "latency": "1ms"}, "nodes": [{"name": "n", "speed": "1Gf"}]}],
      "links": [{"between": ["a", "b"], "bandwidth": "1Gbps", "latency": "1ms", "qkd": {"mode": "otp"}}]},
    "workload": {"duration": "1s", "groups": [{"name": "g", "site": "a", "sensors": 1, "period": "1s",
                                               "flops": "1Mf", "targets": ["b"]}]}
  })");
  auto& q = qkd["platform"]["links"][0]["qkd"];
  CHECK(has_problem(qkd, "/platform/links/0/qkd/key_rate", "give either"));
  q["key_rate"] = "1Mbps";
  q["fibre_km"] = 20;
  CHECK(has_problem(qkd, "/platform/links/0/qkd/key_rate", "and only one of them"));
  q.erase("key_rate");
  q["fibre_km"] = -5;
  CHECK(has_problem(qkd, "/platform/links/0/qkd/fibre_km", "must be >= 0"));
  q["fibre_km"]    = 20;
  q["rekey_bytes"] = "1MB";
  CHECK(has_problem(qkd, "/platform/links/0/qkd/rekey_bytes", "applies to \"aes\" mode"));
  q.erase("rekey_bytes");
  q["mode"] = "aes";
  CHECK(has_problem(qkd, "/platform/links/0/qkd/mode", "needs \"rekey_bytes\", \"rekey_interval\" or both"));
  q["rekey_interval"] = "1s";
  CHECK(problems(qkd).empty());
  // The rate the link gets is the rate-loss relation's at 20 km (4 dB).
  const auto s = parse_scenario(qkd, "k.json");
  CHECK(s.platform.links.at(0).qkd->key_rate == doctest::Approx(12.5e6 * std::pow(10.0, -0.4)));
}
