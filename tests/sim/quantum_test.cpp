// The quantum co-processor and QKD links in the simulation: one-time-pad traffic runs at the key
// rate, a shared QPU queues as M/D/1, calibration windows hold the queue, offload tasks go where
// they finish first, and variational loops stop when they converge.
#include "models/quantum.hpp"
#include "models/queueing.hpp"
#include "scenario_builder.hpp"
#include "sim/simulation.hpp"

#include <doctest/doctest.h>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace leptonsim;
namespace fs = std::filesystem;

namespace {

// Heron r2 running 10 qubits x 10 layers x 1,000 shots: 1,000 x (10 x 108 ns + 1.56 us + 250 us)
// + 1 s of job overhead.
constexpr double circuit_time = 1000 * (10 * 108e-9 + 1.56e-6 + 250e-6) + 1.0;

models::Json heron_circuit(int two_qubit_gates = 20)
{
  return {{"qubits", 10}, {"layers", 10}, {"two_qubit_gates", two_qubit_gates}, {"shots", 1000}};
}

// Edge sites that reach a hub over backbone links; the hub holds the QPU and one classical node.
models::Json hub_platform(int edge_sites)
{
  return models::Json::parse(R"({
    "sites": [
      {"name": "site", "count": )" + std::to_string(edge_sites) + R"(,
       "link": {"bandwidth": "1Gbps", "latency": "0.5ms"}, "nodes": [{"name": "cpu", "speed": "1Gf"}]},
      {"name": "hub", "kind": "cloud", "link": {"bandwidth": "10Gbps", "latency": "0.1ms"},
       "nodes": [{"name": "server", "speed": "1Gf"}]}],
    "links": [{"between": ["site", "hub"], "bandwidth": "1Gbps", "latency": "10ms"}],
    "qpu": {"site": "hub", "speed": "1Gf", "link": {"bandwidth": "1Gbps", "latency": "0.1ms"},
            "device": "ibm_heron_r2"}
  })");
}

// Poisson circuit jobs from `sites` edge sites at `rho` of the QPU's capacity, for `jobs` jobs.
models::Json shared_qpu(int sites, double rho, double jobs)
{
  models::Json doc;
  doc["name"]     = "shared_qpu";
  doc["seed"]     = 5;
  doc["platform"] = hub_platform(sites);
  const double rate = rho / circuit_time;  // jobs per second, all sites together
  doc["workload"] = {
      {"duration", jobs / rate},
      {"dags",
       {{{"name", "sample"}, {"tasks", {{{"name", "circuit"}, {"kind", "qpu"}, {"circuit", heron_circuit()}}}}}}},
      {"groups",
       {{{"name", "users"}, {"site", "site"}, {"sensors", 1}, {"rate", rate / sites}, {"arrival", "poisson"},
         {"job", "sample"}}}}};
  doc["output"] = {{"max_task_rows", 0}};
  return doc;
}

void check_md1(double rho, double jobs)
{
  const auto r = sim::run_simulation(models::parse_scenario(shared_qpu(4, rho, jobs), "shared_qpu.json"));
  const double mu       = 1.0 / circuit_time;
  const double expected = models::md1_wait(rho * mu, mu);
  CAPTURE(rho);
  CAPTURE(r.qpu_wait.count);
  CHECK(r.quantum.jobs == r.qpu_wait.count);
  CHECK(r.quantum.busy == doctest::Approx(circuit_time * static_cast<double>(r.quantum.jobs)));
  CHECK(r.qpu_wait.count > 0.95 * jobs);
  MESSAGE("rho " << rho << ": mean wait " << r.qpu_wait.mean << " s, M/D/1 " << expected << " s");
  CHECK(r.qpu_wait.mean == doctest::Approx(expected).epsilon(0.05));
  // The stream model counts the circuits' device time against the QPU.
  CHECK(r.stream_prediction.rho_max == doctest::Approx(rho));
}

std::vector<std::vector<std::string>> read_csv(const fs::path& file, std::vector<std::string>& header)
{
  std::ifstream in(file);
  std::string line;
  std::vector<std::vector<std::string>> rows;
  auto split = [](const std::string& l) {
    std::vector<std::string> cells;
    std::stringstream s(l);
    std::string cell;
    while (std::getline(s, cell, ','))
      cells.push_back(cell);
    return cells;
  };
  std::getline(in, line);
  header = split(line);
  while (std::getline(in, line))
    rows.push_back(split(line));
  return rows;
}

size_t column(const std::vector<std::string>& header, const std::string& name)
{
  for (size_t i = 0; i < header.size(); ++i)
    if (header[i] == name)
      return i;
  FAIL("tasks.csv has no column " << name);
  return 0;
}

// One edge site and the hub; one job every 20 s whose single task is offloaded.
models::Json offload(const std::string& flops)
{
  models::Json doc;
  doc["name"]     = "offload";
  doc["seed"]     = 3;
  doc["platform"] = hub_platform(1);
  doc["workload"] = {
      {"duration", 100},
      {"dags",
       {{{"name", "solve"},
         {"tasks", {{{"name", "subproblem"}, {"kind", "offload"}, {"flops", flops}, {"circuit", heron_circuit()}}}}}}},
      {"groups",
       {{{"name", "planner"}, {"site", "site"}, {"sensors", 1}, {"period", 20}, {"bytes", "1kB"}, {"job", "solve"},
         {"targets", {"site-0.cpu"}}}}}};
  return doc;
}

// Variational loops from one edge site: each iteration optimises for 0.1 s on the site's node,
// then runs 100 shots on a Heron whose job overhead is 10 ms.
models::Json variational(int iterations, const models::Json& until)
{
  models::Json doc;
  doc["name"]     = "vqe";
  doc["seed"]     = 9;
  doc["platform"] = hub_platform(1);
  doc["platform"]["qpu"]["device"] = {{"preset", "ibm_heron_r2"}, {"job_overhead", "10ms"}};
  models::Json loop = {{"iterations", iterations},
                       {"classical", "100Mf"},
                       {"circuit", {{"qubits", 8}, {"layers", 10}, {"shots", 100}}},
                       {"bytes", "1kB"},
                       {"tier", "edge"}};
  if (!until.is_null())
    loop["until"] = until;
  doc["workload"] = {{"duration", 4000},
                     {"dags", {{{"name", "vqe"}, {"variational", loop}}}},
                     {"groups",
                      {{{"name", "chemists"}, {"site", "site"}, {"sensors", 1}, {"period", 2}, {"job", "vqe"},
                        {"targets", {"site-0.cpu"}}}}}};
  doc["output"] = {{"max_task_rows", 0}};
  return doc;
}

// One iteration: 0.1 s of optimisation, 1 kB to the QPU and back (10.6 ms of latency each way, and
// 8 us at the route's narrowest 1 Gbps), 100 shots x 252.64 us + 10 ms on the QPU.
constexpr double vqe_quantum = 100 * (10 * 108e-9 + 1.56e-6 + 250e-6) + 0.01;
constexpr double vqe_hop     = 0.0106 + 1e3 / 125e6;

}  // namespace

TEST_CASE("with one-time pad encrypted traffic runs at the key rate when data comes faster")
{
  // 50 readings of 10 kB a second (500 kB/s) cross a link whose keys arrive at 1 Mbit/s (125 kB/s
  // of one-time pad). The pool starts empty: 20 s of readings need 80 Mbit, 80 s of key.
  auto doc = models::Json::parse(R"({
    "name": "otp", "seed": 1,
    "platform": {"sites": [
      {"name": "a", "link": {"bandwidth": "1Gbps", "latency": "0.5ms"}, "nodes": [{"name": "n", "speed": "1Gf"}]},
      {"name": "b", "link": {"bandwidth": "1Gbps", "latency": "0.5ms"}, "nodes": [{"name": "n", "speed": "10Gf"}]}],
      "links": [{"name": "fibre", "between": ["a", "b"], "bandwidth": "1Gbps", "latency": "1ms",
                 "qkd": {"mode": "otp", "key_rate": "1Mbps"}}]},
    "workload": {"duration": "20s", "groups": [
      {"name": "cams", "site": "a", "sensors": 50, "period": "1s", "flops": "1Mf", "bytes": "10kB", "targets": ["b"]}]}
  })");
  const auto r = sim::run_simulation(models::parse_scenario(doc, "otp.json"));
  REQUIRE(r.qkd.size() == 1);
  const auto& link = r.qkd[0];
  CHECK(link.name == "fibre");
  CHECK(link.key_rate == doctest::Approx(1e6));
  CHECK(link.transfers == 1000);
  CHECK(link.encrypted == doctest::Approx(1000 * 10e3));
  CHECK(link.key_consumed == doctest::Approx(8 * link.encrypted));
  // Sustained throughput: the bytes over the span in which the link carried them.
  const double throughput = link.encrypted / (link.last_release - link.first_request);
  CHECK(throughput == doctest::Approx(1e6 / 8).epsilon(0.01));
  CHECK(r.end_time == doctest::Approx(80).epsilon(0.01));
  CHECK(link.stall > 0);
}

TEST_CASE("with one-time pad and keys to spare traffic is not held")
{
  auto doc = models::Json::parse(R"({
    "name": "otp", "seed": 1,
    "platform": {"sites": [
      {"name": "a", "link": {"bandwidth": "1Gbps", "latency": "0.5ms"}, "nodes": [{"name": "n", "speed": "1Gf"}]},
      {"name": "b", "link": {"bandwidth": "1Gbps", "latency": "0.5ms"}, "nodes": [{"name": "n", "speed": "10Gf"}]}],
      "links": [{"name": "fibre", "between": ["a", "b"], "bandwidth": "1Gbps", "latency": "1ms",
                 "qkd": {"mode": "otp", "key_rate": "1MBps", "initial": "1MB"}}]},
    "workload": {"duration": "20s", "groups": [
      {"name": "cams", "site": "a", "sensors": 50, "period": "1s", "flops": "1Mf", "bytes": "10kB", "targets": ["b"]}]}
  })");
  const auto r = sim::run_simulation(models::parse_scenario(doc, "otp.json"));
  REQUIRE(r.qkd.size() == 1);
  CHECK(r.qkd[0].stall == 0);
  CHECK(r.end_time < 20.1);
  // The offered 500 kB/s: 1,000 readings from the first (t = 0) to the last (t = 19.98 s).
  CHECK(r.qkd[0].encrypted / (r.qkd[0].last_release - r.qkd[0].first_request) ==
        doctest::Approx(1000 * 10e3 / 19.98).epsilon(1e-3));
}

TEST_CASE("a shared QPU at rho 0.5 waits as M/D/1 predicts")
{
  check_md1(0.5, 100000);
}

TEST_CASE("a shared QPU at rho 0.7 waits as M/D/1 predicts")
{
  check_md1(0.7, 200000);
}

TEST_CASE("a shared QPU at rho 0.85 waits as M/D/1 predicts")
{
  check_md1(0.85, 400000);
}

TEST_CASE("no circuit job starts on the QPU during a calibration window")
{
  // Windows [100 s, 130 s), [300 s, 330 s), ... while jobs arrive at rho 0.5.
  auto doc = shared_qpu(4, 0.5, 800);
  doc["platform"]["qpu"]["calibration"] = {{{"start", "100s"}, {"duration", "30s"}, {"every", "200s"}}};
  doc["output"]                          = {{"max_task_rows", 100000}};
  const fs::path log = fs::temp_directory_path() / ("leptonsim-calibration-" + std::to_string(::getpid()) + ".csv");
  sim::RunOptions options;
  options.task_log = log;
  const auto r     = sim::run_simulation(models::parse_scenario(doc, "calibration.json"), options);
  std::vector<std::string> header;
  const auto rows = read_csv(log, header);
  fs::remove(log);
  const size_t node = column(header, "node"), started = column(header, "started_s");
  size_t on_qpu = 0, at_window_end = 0, inside = 0;
  for (const auto& row : rows) {
    if (row.at(node) != "hub.qpu")
      continue;
    ++on_qpu;
    const double t     = std::stod(row.at(started));
    const double phase = std::fmod(t - 100, 200);
    if (t > 100 && phase > 1e-9 && phase < 30 - 1e-9)
      ++inside;
    if (t > 100 && std::abs(phase - 30) < 1e-6)
      ++at_window_end;
  }
  CHECK(on_qpu == r.quantum.jobs);
  CHECK(on_qpu > 700);
  CHECK(inside == 0);
  // Jobs that arrived during a window start when it ends: the queue was held, not dropped.
  CHECK(at_window_end >= 5);
  CHECK(r.tasks_completed == r.tasks_submitted);
  // A window of 30 s every 200 s makes jobs wait far longer than M/D/1 at rho 0.5 (0.63 s).
  CHECK(r.qpu_wait.mean > 2.0);
}

TEST_CASE("an offload task runs on the QPU when the QPU finishes first")
{
  // 5 Gflop on the 1 Gflop/s edge node: 5 s; the QPU: 10.1 ms there and 1.25 s of circuits.
  const auto r = sim::run_simulation(models::parse_scenario(offload("5Gf"), "offload.json"));
  CHECK(r.quantum.offloaded_to_qpu == 5);
  CHECK(r.quantum.offloaded_to_classical == 0);
  CHECK(r.quantum.jobs == 5);
  const auto& g = r.groups.at(0);
  CHECK(g.latency.mean == doctest::Approx(circuit_time + 0.0101 + 1e3 / 125e6).epsilon(1e-6));
  // The model's lower bound takes the faster alternative (the circuits) after the nearest input
  // (the edge node's, 0.5 ms), and no job beats it.
  const double bound = r.stream_prediction.group_min_latency.at(0);
  CHECK(bound == doctest::Approx(circuit_time + 0.0005 + 1e3 / 125e6).epsilon(1e-9));
  CHECK(g.latency.min >= bound * (1 - 1e-9));
}

TEST_CASE("an offload task runs on the CPU when the CPU finishes first")
{
  // 0.5 Gflop on the edge node: 0.5 s, well before the QPU's 1.27 s.
  const auto r = sim::run_simulation(models::parse_scenario(offload("0.5Gf"), "offload.json"));
  CHECK(r.quantum.offloaded_to_qpu == 0);
  CHECK(r.quantum.offloaded_to_classical == 5);
  CHECK(r.quantum.jobs == 0);
  const auto& g = r.groups.at(0);
  CHECK(g.latency.mean == doctest::Approx(0.5 + 0.0005 + 1e3 / 125e6).epsilon(1e-3));
}

TEST_CASE("an offload decision compares the times the simulation will take and not the success probability")
{
  // 1.4 s on the CPU against 1.27 s on the QPU: the QPU is faster, although the circuit's shots
  // succeed with probability 0.84 (1.25 s / 0.84 = 1.49 s would lose to the CPU).
  const auto s = models::parse_scenario(offload("1.4Gf"), "offload.json");
  const double p = models::circuit_success_probability(*s.platform.qpu_spec.device,
                                                       *s.workload.dags[0].tasks[0].circuit);
  CHECK(p == doctest::Approx(0.839).epsilon(0.01));
  const auto r = sim::run_simulation(s);
  CHECK(r.quantum.offloaded_to_qpu == 5);
  CHECK(r.groups.at(0).latency.mean < 1.3);
}

TEST_CASE("a variational loop without a convergence rule runs every iteration")
{
  const auto r  = sim::run_simulation(models::parse_scenario(variational(5, nullptr), "vqe.json"));
  const auto& g = r.groups.at(0);
  CHECK(g.jobs_completed == 2000);
  CHECK(g.tasks_completed == 2000 * 10);
  CHECK(r.quantum.jobs == 2000 * 5);
  // Five iterations in a row, the job's 0-byte input first (0.5 ms), then the circuits' results
  // travel back to the edge for the next optimisation: four crossings back, five there.
  const double expected = 0.0005 + 5 * (0.1 + vqe_hop + vqe_quantum) + 4 * vqe_hop;
  CHECK(g.latency.min == doctest::Approx(expected).epsilon(1e-3));
  CHECK(g.latency.mean == doctest::Approx(expected).epsilon(1e-3));
}

TEST_CASE("a variational loop that always converges stops after its minimum iterations")
{
  const auto r  = sim::run_simulation(
      models::parse_scenario(variational(5, {{"min_iterations", 2}, {"probability", 1.0}}), "vqe.json"));
  const auto& g = r.groups.at(0);
  CHECK(g.jobs_completed == 2000);
  CHECK(g.tasks_completed == 2000 * 4);
  CHECK(r.quantum.jobs == 2000 * 2);
  CHECK(r.tasks_completed == r.tasks_submitted);
  const double expected = 0.0005 + 2 * (0.1 + vqe_hop + vqe_quantum) + vqe_hop;
  CHECK(g.latency.max == doctest::Approx(expected).epsilon(1e-3));
}

TEST_CASE("a variational loop that converges with probability 1/2 runs two iterations on average")
{
  // Checked after iterations 1 to 9 of 10: E[iterations] = sum_{k<=9} k / 2^k + 10 / 2^9 = 1.998.
  const auto r  = sim::run_simulation(
      models::parse_scenario(variational(10, {{"min_iterations", 1}, {"probability", 0.5}}), "vqe.json"));
  const auto& g        = r.groups.at(0);
  double expected_iterations = 10.0 / 512;
  for (int k = 1; k <= 9; ++k)
    expected_iterations += k / std::pow(2.0, k);
  CHECK(expected_iterations == doctest::Approx(1.998).epsilon(1e-3));
  CHECK(g.jobs_completed == 2000);
  CHECK(r.tasks_completed == r.tasks_submitted);
  const double iterations = static_cast<double>(r.quantum.jobs) / static_cast<double>(g.jobs_completed);
  CHECK(iterations == doctest::Approx(expected_iterations).epsilon(0.1));
  CHECK(g.tasks_completed == 2 * r.quantum.jobs);
}

namespace {

// 50 readings of 10 kB a second (500 kB/s) from site a to site b for 20 s, across a QKD link.
models::Json qkd_traffic(const models::Json& qkd)
{
  auto doc = models::Json::parse(R"({
    "name": "aes", "seed": 1,
    "platform": {"sites": [
      {"name": "a", "link": {"bandwidth": "1Gbps", "latency": "0.5ms"}, "nodes": [{"name": "n", "speed": "1Gf"}]},
      {"name": "b", "link": {"bandwidth": "1Gbps", "latency": "0.5ms"}, "nodes": [{"name": "n", "speed": "10Gf"}]}],
      "links": [{"name": "fibre", "between": ["a", "b"], "bandwidth": "1Gbps", "latency": "1ms"}]},
    "workload": {"duration": "20s", "groups": [
      {"name": "cams", "site": "a", "sensors": 50, "period": "1s", "flops": "1Mf", "bytes": "10kB", "targets": ["b"]}]}
  })");
  doc["platform"]["links"][0]["qkd"] = qkd;
  return doc;
}

}  // namespace

TEST_CASE("with AES a link draws a 256-bit key every rekey_bytes")
{
  // Keys to spare (1 Mbit/s): a key per 100 kB is one per ten readings, 100 keys for 1,000.
  const auto r = sim::run_simulation(models::parse_scenario(
      qkd_traffic({{"mode", "aes"}, {"key_rate", "1Mbps"}, {"rekey_bytes", "100kB"}}), "aes.json"));
  REQUIRE(r.qkd.size() == 1);
  CHECK(r.qkd[0].transfers == 1000);
  CHECK(r.qkd[0].rekeys == 100);
  CHECK(r.qkd[0].key_consumed == doctest::Approx(100 * 256));
  // Only the first key is not there yet (the pool starts empty): 256 us for the readings under it.
  CHECK(r.qkd[0].stall < 10 * 256e-6 + 1e-9);
  CHECK(r.end_time < 20.1);
}

TEST_CASE("with AES a link draws a 256-bit key every rekey_interval")
{
  // A key a second: readings from t = 0 to 19.98 s use 20 keys.
  const auto r = sim::run_simulation(models::parse_scenario(
      qkd_traffic({{"mode", "aes"}, {"key_rate", "1Mbps"}, {"rekey_interval", "1s"}}), "aes.json"));
  REQUIRE(r.qkd.size() == 1);
  CHECK(r.qkd[0].rekeys == 20);
  CHECK(r.qkd[0].key_consumed == doctest::Approx(20 * 256));
}

TEST_CASE("with AES and keys short the link carries rekey_bytes for each key the pool makes")
{
  // 256 bit/s of key is one 256-bit key a second; a key per 100 kB (ten readings) lets 100 kB/s
  // through of the 500 kB/s offered, the ten readings under a key all waiting for it. 1,000
  // readings need 100 keys: 100 s.
  const auto r = sim::run_simulation(models::parse_scenario(
      qkd_traffic({{"mode", "aes"}, {"key_rate", "256bps"}, {"rekey_bytes", "100kB"}}), "aes.json"));
  REQUIRE(r.qkd.size() == 1);
  const auto& link = r.qkd[0];
  CHECK(link.key_rate == doctest::Approx(256));
  CHECK(link.rekeys == 100);
  CHECK(link.key_consumed == doctest::Approx(100 * 256));
  // Reading 10k + j (sent at 0.2k + 0.02j s) waits for key k, ready at k + 1 s: summed over
  // k < 100 and j < 10, 100 x 9.1 + 8 x 4,950 = 40,510 s.
  CHECK(link.stall == doctest::Approx(40510).epsilon(1e-3));
  CHECK(link.encrypted / (link.last_release - link.first_request) == doctest::Approx(100e3).epsilon(0.01));
  CHECK(r.end_time == doctest::Approx(100).epsilon(0.01));
}

TEST_CASE("a QPU that fails loses its circuit jobs, starts none while down, and retries finish them")
{
  // A circuit job every 5 s (1.25264 s on the device); the QPU is down from 100.5 s to 160 s. The
  // job that started at 100.0101 s is lost 0.4899 s in; jobs sent before the failure is detected
  // are lost on arrival. Retries 20 s, 40 s and 80 s later outlast the repair.
  auto doc = models::Json::parse(R"({
    "name": "qpu_fault", "seed": 2,
    "workload": {"duration": "400s",
      "dags": [{"name": "sample", "tasks": [{"name": "circuit", "kind": "qpu",
                "circuit": {"qubits": 10, "layers": 10, "shots": 1000}}]}],
      "groups": [{"name": "users", "site": "site-0", "sensors": 1, "period": "5s", "job": "sample"}]},
    "faults": {"recovery": {"strategy": "retry", "max_attempts": 4, "backoff": "20s"},
               "events": [{"target": "hub.qpu", "down": "100.5s", "up": "160s"}]},
    "output": {"max_task_rows": 1000}
  })");
  doc["platform"]  = hub_platform(1);
  const fs::path log = fs::temp_directory_path() / ("leptonsim-qpu-fault-" + std::to_string(::getpid()) + ".csv");
  sim::RunOptions options;
  options.task_log = log;
  const auto r     = sim::run_simulation(models::parse_scenario(doc, "qpu_fault.json"), options);
  std::vector<std::string> header;
  const auto rows = read_csv(log, header);
  fs::remove(log);
  CHECK(r.faults.node_failures == 1);
  CHECK(r.faults.submitted == 80);
  CHECK(r.faults.completed == 80);
  CHECK(r.faults.lost == 0);
  // Jobs of 100 s, 105 s, ..., 155 s lost an execution; each finished after the repair.
  CHECK(r.faults.recovery_time.count == 12);
  CHECK(r.faults.retried >= 12);
  CHECK(r.faults.wasted_flops == doctest::Approx((100.5 - 100.0101) * 1e9));
  // Only finished executions count as device time.
  CHECK(r.quantum.jobs == 80);
  CHECK(r.quantum.busy == doctest::Approx(80 * circuit_time));
  const size_t node = column(header, "node"), started = column(header, "started_s");
  size_t on_qpu = 0, while_down = 0;
  for (const auto& row : rows) {
    if (row.at(node) != "hub.qpu")
      continue;
    ++on_qpu;
    const double t = std::stod(row.at(started));
    if (t >= 100.5 && t < 160)
      ++while_down;
  }
  CHECK(on_qpu == 80);
  CHECK(while_down == 0);
}
