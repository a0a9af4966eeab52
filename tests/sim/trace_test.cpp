// The trace writer on its own: lanes that never overlap and stay few, exact times, escaping,
// the window and the limit, and a file that appears only once complete.
#include "sim/trace_writer.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

using namespace leptonsim::sim;
namespace fs = std::filesystem;

namespace {

fs::path scratch(const std::string& name)
{
  const fs::path dir = fs::temp_directory_path() / ("leptonsim-trace-test-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir / name;
}

nlohmann::json load(const fs::path& path)
{
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return nlohmann::json::parse(text.str());
}

}  // namespace

TEST_CASE("lanes reuse the first free lane and hold as many lanes as intervals overlap at most")
{
  TraceLanes lanes;
  // Given in order of their end: [0 10] [2 12] [11 13] [12 20] [14 21]
  CHECK(lanes.place(0, 10) == 0);
  CHECK(lanes.place(2, 12) == 1);
  CHECK(lanes.place(11, 13) == 0);  // lane 0 was free from 10
  CHECK(lanes.place(12, 20) == 1);  // touching is not overlapping
  CHECK(lanes.place(14, 21) == 0);
  CHECK(lanes.count() == 2);
}

TEST_CASE("the writer keeps slices inside its window and under its limit and escapes names")
{
  const fs::path path = scratch("window.json");
  {
    TraceWriter writer(TraceOptions{path, 1.0, 2.0, 2});
    writer.process(2, "node \"a\"\\b", 2);
    CHECK(!writer.admit(0.0, 0.5));  // ends before the window
    CHECK(!writer.admit(2.5, 3.0));  // starts after it
    REQUIRE(writer.admit(0.5, 1.25));  // overlaps it
    writer.slice(2, 1, "task", "g", 0.5, 1.25, "{\"task\":1}");
    REQUIRE(writer.admit(1.5, 1.5));
    writer.slice(2, 1, "task", "g", 1.5, 1.5, "");
    CHECK(!writer.admit(1.6, 1.7));  // the limit of two is reached
    writer.instant(1, "milestone", "inside", 1.5, "");
    writer.instant(1, "milestone", "outside", 3.0, "");
    CHECK(!fs::exists(path));  // not before it is complete
    writer.finish("\"slices\":2");
    CHECK(writer.slices_written() == 2);
    CHECK(writer.slices_dropped() == 1);
  }
  const auto trace = load(path);
  const auto& events = trace.at("traceEvents");
  CHECK(events.at(0).at("args").at("name") == "node \"a\"\\b");
  CHECK(events.at(2).at("ts") == 500000.0);
  CHECK(events.at(2).at("dur") == 750000.0);
  CHECK(events.at(2).at("args").at("task") == 1);
  CHECK(events.at(3).at("dur") == 0.0);
  CHECK(events.at(4).at("name") == "inside");
  CHECK(events.size() == 5);
  CHECK(trace.at("otherData").at("slices") == 2);
  fs::remove_all(path.parent_path());
}

TEST_CASE("a trace that is never finished leaves no file")
{
  const fs::path path = scratch("abandoned.json");
  {
    TraceWriter writer(TraceOptions{path, 0, 1, 0});
    writer.slice(2, 1, "task", "g", 0, 1, "");
  }
  CHECK(!fs::exists(path));
  CHECK(fs::is_empty(path.parent_path()));
  fs::remove_all(path.parent_path());
}

TEST_CASE("times are written from integer nanoseconds so touching slices do not overlap")
{
  CHECK(trace_ns(0.1 + 0.2) == 300000000);
  CHECK(trace_ns(60.104613613481625) == 60104613613);
  const fs::path path = scratch("touch.json");
  {
    TraceWriter writer(TraceOptions{path});
    writer.slice(2, 1, "task", "a", 0.1, 0.1 + 0.2, "");
    writer.slice(2, 1, "task", "b", 0.3, 0.7, "");
    writer.finish("");
  }
  const auto events = load(path).at("traceEvents");
  const auto end_a  = std::llround((events.at(0).at("ts").get<double>() + events.at(0).at("dur").get<double>()) * 1000);
  CHECK(end_a <= std::llround(events.at(1).at("ts").get<double>() * 1000));
  fs::remove_all(path.parent_path());
}
