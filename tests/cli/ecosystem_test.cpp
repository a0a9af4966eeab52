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
  CHECK(makespan(dir / "run", "capacity_weighted") == doctest::Approx(12.004));
  CHECK(makespan(dir / "run", "round_robin") == doctest::Approx(30.004));
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
