// The quantum sweeps shipped in scenarios/sweeps, run as a user runs them: the offload decision
// flips where the two costs cross, and a one-time-pad link carries what its keys allow.
#include "process.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

using namespace leptonsim::test;
namespace fs = std::filesystem;

namespace {

// sweep.csv as rows of column name -> cell (its cells hold no commas).
std::vector<std::map<std::string, std::string>> sweep_rows(const fs::path& csv)
{
  std::istringstream in(read_file(csv));
  auto split = [](const std::string& line) {
    std::vector<std::string> cells;
    std::istringstream s(line);
    for (std::string cell; std::getline(s, cell, ',');)
      cells.push_back(cell);
    if (!line.empty() && line.back() == ',')
      cells.emplace_back();
    return cells;
  };
  std::string line;
  std::getline(in, line);
  const auto header = split(line);
  std::vector<std::map<std::string, std::string>> rows;
  while (std::getline(in, line)) {
    const auto cells = split(line);
    REQUIRE(cells.size() == header.size());
    std::map<std::string, std::string> row;
    for (size_t i = 0; i < header.size(); ++i)
      row[header[i]] = cells[i];
    rows.push_back(row);
  }
  return rows;
}

std::vector<std::map<std::string, std::string>> run_sweep(const std::string& name)
{
  const auto out = work_dir(name) / "sweep";
  const auto r   = run_leptonsim(
      {"sweep", (source_dir() / "scenarios" / "sweeps" / (name + ".json")).string(), "--out", out.string(), "-j", "2"});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  return sweep_rows(out / "sweep.csv");
}

double number(const std::map<std::string, std::string>& row, const std::string& column)
{
  return std::stod(row.at(column));
}

}  // namespace

TEST_CASE("the offload sweep sends the sub-problem to the QPU from 28 variables on")
{
  // CPU: 2^n x 100 flop at 10 Gflop/s. QPU: 20.73 ms to it + 4,000 x (12 x 108 ns + 1.56 us + 250 us)
  // + 1 s = 2.032 s. They cross at n = 27.6.
  const auto rows = run_sweep("quantum_offload_break_even");
  REQUIRE(rows.size() == 9);
  for (const auto& row : rows) {
    const int n = std::stoi(row.at("variables"));
    CAPTURE(n);
    CHECK(row.at("status") == "ok");
    const double cpu = std::ldexp(100.0, n) / 10e9;
    if (n <= 27) {
      CHECK(number(row, "to_cpu") == 20);
      CHECK(number(row, "to_qpu") == 0);
      // Input 0.5 ms, prepare 5 ms, the solve on the edge, apply 1 ms: tasks on one node, no hops.
      CHECK(number(row, "plan_latency_mean_s") == doctest::Approx(0.0065 + cpu).epsilon(1e-3));
    } else {
      CHECK(number(row, "to_qpu") == 20);
      CHECK(number(row, "to_cpu") == 0);
      CHECK(number(row, "plan_latency_mean_s") == doctest::Approx(2.0594).epsilon(1e-4));
      const double p = std::pow(1 - 2.3e-4, 12 * n) * std::pow(1 - 3.8e-3, 6 * n) * std::pow(1 - 7.6e-3, n);
      CHECK(number(row, "success_probability") == doctest::Approx(p));
    }
  }
}

TEST_CASE("the fibre-length sweep carries min(offered, key rate / 8) over a one-time-pad link")
{
  // Offered: 3,000 frames of 10 kB between t = 0 and 59.98 s. Key: 12.5 Mbit/s x 10^(-0.02 L).
  const auto rows = run_sweep("qkd_fibre_length");
  REQUIRE(rows.size() == 10);
  for (const auto& row : rows) {
    const double km = number(row, "fibre_km");
    CAPTURE(km);
    const double rate = 12.5e6 * std::pow(10.0, -0.02 * km);
    CHECK(number(row, "key_rate_bps") == doctest::Approx(rate));
    const double expected = std::min(3000 * 10e3 / 59.98, rate / 8);
    CHECK(number(row, "throughput_Bps") == doctest::Approx(expected).epsilon(0.01));
  }
}
