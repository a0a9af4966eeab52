// leptonsim among SimGrid's tools: --cfg settings, platform files out and in.
#include "process.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

using namespace leptonsim::test;
namespace fs = std::filesystem;

namespace {

double makespan(const fs::path& run, const std::string& job)
{
  return nlohmann::json::parse(read_file(run / "summary.json"))["jobs"][job]["makespan_s"].get<double>();
}

}  // namespace

TEST_CASE("--cfg=name:value reaches SimGrid")
{
  const auto dir = work_dir("cfg_passes");
  const auto plain = run_leptonsim({"run", scenario("batch_heterogeneous").string(), "-q", "--out",
                                    (dir / "plain").string()});
  const auto slow  = run_leptonsim({"run", scenario("batch_heterogeneous").string(), "-q", "--out",
                                    (dir / "slow").string(), "--cfg=network/latency-factor:10"});
  REQUIRE(plain.exit_code == 0);
  REQUIRE(slow.exit_code == 0);
  // Each of the 4 sharing rounds sends 0-byte messages to the switch and back over 0.5 ms access
  // links: 1 ms a round, 10 ms with SimGrid's latency factor at 10, so 4 x 9 ms = 36 ms later.
  for (const char* job : {"capacity_weighted", "round_robin"}) {
    CAPTURE(job);
    CHECK(makespan(dir / "slow", job) - makespan(dir / "plain", job) == doctest::Approx(0.036).epsilon(1e-6));
  }
  CHECK(makespan(dir / "plain", "capacity_weighted") == doctest::Approx(12.004));
}

TEST_CASE("leptonsim platform writes SimGrid XML and a scenario that reads it back")
{
  const auto dir = work_dir("platform_export");
  const auto r   = run_leptonsim({"platform", scenario("batch_heterogeneous").string(), "--xml",
                                  (dir / "xml" / "p.xml").string(), "--scenario", (dir / "s.json").string()});
  REQUIRE(r.exit_code == 0);
  // 2 switches + 8 nodes; 8 access links + 1 backbone; per site 5 hosts (20 ordered pairs), 2 zone routes.
  CHECK(r.out.find("p.xml: 10 hosts, 9 links, 42 routes") != std::string::npos);
  const std::string xml = read_file(dir / "xml" / "p.xml");
  CHECK(xml.find("<platform version=\"4.1\">") != std::string::npos);
  const auto copy = nlohmann::json::parse(read_file(dir / "s.json"));
  CHECK(copy["platform"]["simgrid_xml"] == "xml/p.xml");
  CHECK(copy["platform"]["sites"][0]["entry"] == "rr.switch");
  CHECK(copy["platform"]["sites"][1]["nodes"] ==
        nlohmann::json::parse(R"(["cw.n1", "cw.n2", "cw.n3", "cw.n4"])"));
  CHECK(copy["workload"] == nlohmann::json::parse(read_file(scenario("batch_heterogeneous")))["workload"]);
  // The copy runs, routed by SimGrid from the file, to the same makespans.
  const auto run = run_leptonsim({"run", (dir / "s.json").string(), "--check", "-q", "--out", (dir / "run").string()});
  CHECK(run.exit_code == 0);
  CHECK(run.err.find("note:") == std::string::npos);  // every exported host carries its power figures
  CHECK(makespan(dir / "run", "capacity_weighted") == doctest::Approx(12.004));
  CHECK(makespan(dir / "run", "round_robin") == doctest::Approx(30.004));
}

TEST_CASE("power figures and node prices survive the round trip through SimGrid XML")
{
  const auto dir = work_dir("platform_costs");
  std::vector<std::string> sets{"--set", R"(/platform/sites/0/nodes/0/power={"idle": "10W", "busy": "10W"})", "--set",
                                R"(/costs={"energy_per_kWh": 0.3})"};
  for (int n = 0; n < 4; ++n)
    sets.insert(sets.end(), {"--set", "/platform/sites/1/nodes/" + std::to_string(n) +
                                          "/cost={\"capital\": 900, \"lifetime_years\": 3}"});
  auto with = [&](std::vector<std::string> args) {
    args.insert(args.end(), sets.begin(), sets.end());
    return run_leptonsim(args);
  };
  const std::string base = scenario("batch_heterogeneous").string();
  REQUIRE(with({"platform", base, "--xml", (dir / "p.xml").string(), "--scenario", (dir / "s.json").string()})
              .exit_code == 0);
  const auto copy = nlohmann::json::parse(read_file(dir / "s.json"));
  CHECK(copy["platform"]["sites"][1]["cost"] == nlohmann::json::parse(R"({"capital": 900, "lifetime_years": 3})"));
  CHECK_FALSE(copy["platform"]["sites"][0].contains("cost"));
  CHECK(copy["costs"]["energy_per_kWh"] == 0.3);
  REQUIRE(with({"run", base, "-q", "--out", (dir / "built").string()}).exit_code == 0);
  REQUIRE(run_leptonsim({"run", (dir / "s.json").string(), "-q", "--out", (dir / "xml").string()}).exit_code == 0);
  const std::string nodes = read_file(dir / "built" / "nodes.csv");
  CHECK(read_file(dir / "xml" / "nodes.csv") == nodes);

  // By hand: rr.n1 draws 10 W busy or idle, so 10 W x the end time; cw.n1 is owned, 900 over 3
  // years of 365.25 days, plus its energy at 0.3 a kWh.
  const auto summary = nlohmann::json::parse(read_file(dir / "xml" / "summary.json"));
  const double end   = summary["metrics"]["end_time_s"].get<double>();
  auto field = [&](const std::string& node, size_t column) {
    const size_t at = nodes.find("\n" + node + ",");
    REQUIRE(at != std::string::npos);
    std::string line = nodes.substr(at + 1, nodes.find('\n', at + 1) - at - 1);
    for (size_t c = 0; c < column; ++c)
      line = line.substr(line.find(',') + 1);
    return line.substr(0, line.find(','));
  };
  // nodes.csv: ..., energy_J (column 14), billing (15), cost (16).
  CHECK(std::stod(field("rr.n1", 14)) == doctest::Approx(10 * end).epsilon(1e-9));
  CHECK(field("cw.n1", 15) == "owned");
  const double energy = std::stod(field("cw.n1", 14));
  CHECK(std::stod(field("cw.n1", 16)) ==
        doctest::Approx(900 * end / (3 * 365.25 * 86400) + energy / 3.6e6 * 0.3).epsilon(1e-9));

  // Nodes of one site with different prices cannot share the one "cost" of a SimGrid file's site.
  const auto mixed = run_leptonsim({"platform", base, "--xml", (dir / "m.xml").string(), "--scenario",
                                    (dir / "m.json").string(), "--set",
                                    R"(/platform/sites/1/nodes/2/cost={"capital": 5})"});
  CHECK(mixed.exit_code == 2);
  CHECK(mixed.err.find("/platform/sites/1/nodes/2: the nodes of this site have different cost figures") !=
        std::string::npos);
  CHECK_FALSE(fs::exists(dir / "m.xml"));
  CHECK_FALSE(fs::exists(dir / "m.json"));
}

TEST_CASE("nodes whose SimGrid hosts have no power figures are named in a note, and draw 0 W")
{
  const auto dir = work_dir("platform_no_power");
  const auto r   = run_leptonsim({"run", scenario("small_platform_grid").string(), "-q", "--out", (dir / "run").string()});
  REQUIRE(r.exit_code == 0);
  CHECK(without_asan_stack_warning(r.err) == scenario("small_platform_grid").string() +
                     ": /platform/simgrid_xml: note: 5 of the 5 nodes (Tremblay, Jupiter, Fafard, ... Bourassa) have "
                     "no \"wattage_per_state\" property in the file: they draw 0 W and add nothing to the run's "
                     "energy\n");
  const auto summary = nlohmann::json::parse(read_file(dir / "run" / "summary.json"));
  CHECK(summary["metrics"]["energy_J"] == 0);
  // validate says it too, before anything runs.
  const auto v = run_leptonsim({"validate", scenario("small_platform_grid").string()});
  CHECK(v.exit_code == 0);
  CHECK(v.err.find("note: 5 of the 5 nodes") != std::string::npos);
}

TEST_CASE("SimGrid platform files that cannot be used are input errors that leave nothing behind")
{
  const auto dir = work_dir("xml_errors");
  std::ofstream(dir / "broken.xml") << "<?xml version='1.0'?>\n<!DOCTYPE platform SYSTEM "
                                        "\"https://simgrid.org/simgrid.dtd\">\n<platform version=\"4.1\">"
                                        "<zone id=\"z\" routing=\"Full\"><host id=\"h\" speed=\"fast\"/></zone>"
                                        "</platform>\n";
  const std::string grid = scenario("small_platform_grid").string();
  struct Case {
    std::vector<std::string> args;
    std::string expected;
  };
  const std::vector<Case> cases{
      {{"--set", "/platform/simgrid_xml=" + (dir / "none.xml").string()}, "/platform/simgrid_xml: cannot open"},
      {{"--set", "/platform/simgrid_xml=" + (dir / "broken.xml").string()},
       "/platform/simgrid_xml: SimGrid cannot load it: Parse error at"},
      {{"--set", "/platform/sites/0/entry=Tremblai"},
       "/platform/sites/0/entry: the SimGrid platform has no host named 'Tremblai'; did you mean 'Tremblay'?"},
      {{"--set", "/platform/sites/1/nodes/0=Fafard"}, "/platform/sites/1/nodes/0: host 'Fafard' is already a node"},
  };
  for (const auto& c : cases) {
    std::vector<std::string> args{"run", grid, "--out", (dir / "run").string()};
    args.insert(args.end(), c.args.begin(), c.args.end());
    const auto r = run_leptonsim(args);
    CAPTURE(c.expected);
    CHECK(r.exit_code == 2);
    CHECK_MESSAGE(r.err.find(c.expected) != std::string::npos, "stderr was: " << r.err);
    CHECK_FALSE(fs::exists(dir / "run"));
  }
  const auto qkd = run_leptonsim({"platform", scenario("batch_heterogeneous").string(), "--xml",
                                  (dir / "q.xml").string(), "--scenario", (dir / "q.json").string(), "--set",
                                  "/platform/links/0/qkd={\"mode\": \"otp\", \"key_rate\": \"1Mbps\"}"});
  CHECK(qkd.exit_code == 2);
  CHECK(qkd.err.find("/platform/links/0/qkd: QKD on backbone links cannot be kept") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "q.xml"));
  CHECK_FALSE(fs::exists(dir / "q.json"));
  const auto again = run_leptonsim({"platform", grid, "--xml", (dir / "again.xml").string()});
  CHECK(again.exit_code == 2);
  CHECK(again.err.find("/platform/simgrid_xml: the platform already is a SimGrid platform file") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "again.xml"));
}

TEST_CASE("--paje and --cfg reach SimGrid when the platform comes from a SimGrid file")
{
  const auto dir = work_dir("xml_paje");
  const auto r   = run_leptonsim({"run", scenario("small_platform_grid").string(), "--out", (dir / "run").string(),
                                  "--paje", (dir / "run" / "simgrid.paje").string(), "--cfg=network/latency-factor:2"});
  REQUIRE(r.exit_code == 0);
  const std::string paje = read_file(dir / "run" / "simgrid.paje");
  CHECK(paje.find("%EventDef PajeDefineContainerType") != std::string::npos);
  CHECK(paje.find("Bourassa") != std::string::npos);
  // A setting SimGrid refuses is still an input error.
  const auto bad = run_leptonsim({"run", scenario("small_platform_grid").string(), "--out", (dir / "bad").string(),
                                  "--cfg", "network/latency-factor:fast"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("--cfg: network/latency-factor:fast: SimGrid refuses it") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "bad"));
}
