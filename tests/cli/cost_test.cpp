// Energy and money as a user reads them in summary.json and nodes.csv, against a hand computation.
#include "process.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <fstream>

using namespace leptonsim::test;

TEST_CASE("the cost of a run equals the hand computation, item by item")
{
  // An owned edge box (8,766 over one year of 8,766 h: 1 an hour, plus 36 an hour to run) fetches
  // 2 GB from the cloud at 1 GB/s (2 s) and computes 10 s: the run lasts 12 s. A rented 4-core VM
  // idles in the cloud.
  const auto dir = work_dir("cost_hand");
  std::ofstream(dir / "cost.json") << R"({"name": "cost",
    "platform": {
      "sites": [
        {"name": "edge", "link": {"bandwidth": "1GBps", "latency": "0s"},
         "nodes": [{"name": "box", "speed": "1Gf", "power": {"idle": "10W", "busy": "30W"},
                    "cost": {"capital": 8766, "lifetime_years": 1, "operating_per_hour": 36}}]},
        {"name": "cloud", "kind": "cloud", "link": {"bandwidth": "1GBps", "latency": "0s"},
         "nodes": [{"name": "vm", "speed": "1Gf", "cores": 4, "cost": {"core_hour": 0.9}}]}],
      "links": [{"between": ["edge", "cloud"], "bandwidth": "1GBps", "latency": "0s"}]},
    "workload": {"jobs": [{"name": "j", "units": 1, "flops_per_unit": "10Gf", "bytes_per_unit": "2GB",
                           "chunks": 1, "source": "cloud", "nodes": ["edge.box"]}]},
    "costs": {"currency": "EUR", "energy_per_kWh": 360, "egress_per_GB": 0.5}})";
  const auto r = run_leptonsim({"run", (dir / "cost.json").string(), "--out", (dir / "run").string(), "-q"});
  REQUIRE(r.exit_code == 0);
  const auto summary = nlohmann::json::parse(read_file(dir / "run" / "summary.json"));
  const auto& metrics = summary["metrics"];
  CHECK(metrics["end_time_s"].get<double>() == doctest::Approx(12.0));
  // Box: idle 10 W for the 2 s of transfer, busy 30 W for 10 s. VM: the cloud default for 4 idle
  // cores, 40 + 4 * 4 = 56 W, for 12 s.
  const double box_J = 10.0 * 2 + 30.0 * 10;
  const double vm_J  = 56.0 * 12;
  CHECK(metrics["energy_J"].get<double>() == doctest::Approx(box_J + vm_J));
  CHECK(metrics["energy_per_task_J"].get<double>() == doctest::Approx(box_J + vm_J));  // one task
  const auto& cost = summary["cost"];
  CHECK(cost["currency"] == "EUR");
  CHECK(cost["capital"].get<double>() == doctest::Approx(12.0 / 3600));
  CHECK(cost["operating"].get<double>() == doctest::Approx(36.0 * 12 / 3600));
  CHECK(cost["energy"].get<double>() == doctest::Approx(box_J / 3.6e6 * 360));  // the VM's is in its price
  CHECK(cost["rented_cores"].get<double>() == doctest::Approx(4 * 0.9 * 12 / 3600));
  CHECK(cost["egress_B"].get<double>() == doctest::Approx(2e9));
  CHECK(cost["egress"].get<double>() == doctest::Approx(1.0));
  const double total = 12.0 / 3600 + 36.0 * 12 / 3600 + box_J / 3.6e6 * 360 + 4 * 0.9 * 12 / 3600 + 1.0;
  CHECK(cost["total"].get<double>() == doctest::Approx(total));
  CHECK(cost["per_million_tasks"].get<double>() == doctest::Approx(total * 1e6));
  const std::string nodes = read_file(dir / "run" / "nodes.csv");
  CHECK(nodes.find("edge.box,edge,edge,1,") != std::string::npos);
  CHECK(nodes.find(",320,owned,") != std::string::npos);
  CHECK(nodes.find(",672,core_hours,0.012") != std::string::npos);
}
