// Traces as a user gets them: Chrome trace-event JSON that Perfetto opens (one slice per completed
// task, no overlapping slices on a track, named tracks), deterministic, bounded by its options;
// and SimGrid's own Paje trace passed through.
#include "process.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>
#include <vector>

using namespace leptonsim::test;
namespace fs = std::filesystem;
using Json = nlohmann::json;

namespace {

int64_t ns(const Json& microseconds) { return std::llround(microseconds.get<double>() * 1000.0); }

struct Slice {
  int64_t start, end;
};

// Slices per (pid, tid) track, sorted by start.
std::map<std::pair<int64_t, int64_t>, std::vector<Slice>> tracks_of(const Json& events)
{
  std::map<std::pair<int64_t, int64_t>, std::vector<Slice>> tracks;
  for (const auto& e : events)
    if (e.at("ph") == "X")
      tracks[{e.at("pid").get<int64_t>(), e.at("tid").get<int64_t>()}].push_back(
          {ns(e.at("ts")), ns(e.at("ts")) + ns(e.at("dur"))});
  for (auto& [_, slices] : tracks)
    std::sort(slices.begin(), slices.end(), [](const Slice& a, const Slice& b) { return a.start < b.start; });
  return tracks;
}

std::vector<std::string> lines_of(const std::string& text)
{
  std::vector<std::string> lines;
  size_t from = 0;
  while (from < text.size()) {
    const size_t end = text.find('\n', from);
    lines.push_back(text.substr(from, end - from));
    from = end == std::string::npos ? text.size() : end + 1;
  }
  return lines;
}

}  // namespace

TEST_CASE("a trace holds one slice per completed task on its node's core and a slice per input transfer")
{
  const auto dir = work_dir("trace_stream");
  const auto run = dir / "run";
  const auto r   = run_leptonsim({"run", scenario("stream_stable").string(), "--set", "/workload/duration=3s", "--out",
                                  run.string(), "--trace", (run / "trace.json").string(), "--quiet"});
  REQUIRE(r.exit_code == 0);
  const Json summary = Json::parse(read_file(run / "summary.json"));
  const Json trace   = Json::parse(read_file(run / "trace.json"));
  const auto completed = summary.at("metrics").at("tasks_completed").get<uint64_t>();
  REQUIRE(completed > 5000);

  std::map<int64_t, std::string> process_names;
  std::set<uint64_t> task_ids;
  std::set<std::string> task_names, input_sources;
  uint64_t task_slices = 0, inputs = 0, negative = 0;
  for (const auto& e : trace.at("traceEvents")) {
    REQUIRE(e.contains("ph"));
    REQUIRE(e.contains("pid"));
    if (e.at("ph") == "M" && e.at("name") == "process_name")
      process_names[e.at("pid").get<int64_t>()] = e.at("args").at("name").get<std::string>();
    if (e.at("ph") != "X")
      continue;
    negative += e.at("dur").get<double>() < 0;
    if (e.at("cat") == "task") {
      ++task_slices;
      task_names.insert(e.at("name").get<std::string>());
      task_ids.insert(e.at("args").at("task").get<uint64_t>());
    } else if (e.at("cat") == "transfer" && e.at("name") == "input") {
      ++inputs;
      input_sources.insert(e.at("args").at("from").get<std::string>());
    }
  }
  CHECK(negative == 0);
  CHECK(task_slices == completed);
  CHECK(task_ids.size() == completed);  // each task once
  CHECK(task_names == std::set<std::string>{"edge.sensors"});
  CHECK(inputs == completed);  // every reading crossed the network to its node
  CHECK(input_sources == std::set<std::string>{"edge.switch"});
  CHECK(trace.at("otherData").at("slices").get<uint64_t>() == 2 * completed);
  CHECK(trace.at("otherData").at("slices_dropped").get<uint64_t>() == 0);
  // Tracks are named after the hosts of nodes.csv.
  for (const auto& line : lines_of(read_file(run / "nodes.csv"))) {
    const std::string node = line.substr(0, line.find(','));
    if (node != "node")
      CHECK_MESSAGE(std::find_if(process_names.begin(), process_names.end(),
                                 [&](const auto& p) { return p.second == node; }) != process_names.end(),
                    node);
  }
  // Perfetto drops slices that overlap on one track: lanes must keep them apart.
  size_t tracks_checked = 0;
  for (const auto& entry : tracks_of(trace.at("traceEvents"))) {
    const auto& track  = entry.first;  // not a structured binding: doctest's message captures it
    const auto& slices = entry.second;
    for (size_t i = 1; i < slices.size(); ++i)
      REQUIRE_MESSAGE(slices[i].start >= slices[i - 1].end, "pid " << track.first << " tid " << track.second);
    ++tracks_checked;
  }
  CHECK(tracks_checked >= 5);  // four cores and at least one transfer lane
  CHECK(!fs::exists(dir / ".run.tmp"));
  CHECK(std::distance(fs::directory_iterator(dir), fs::directory_iterator()) == 1);  // no temporary file left
}

TEST_CASE("a batch trace shows sharing-round messages and job milestones and is byte-identical across runs")
{
  const auto dir = work_dir("trace_batch");
  auto run = [&](const std::string& name) {
    REQUIRE(run_leptonsim({"run", scenario("batch_heterogeneous").string(), "--out", (dir / name).string(), "--trace",
                           (dir / (name + ".json")).string(), "--quiet"})
                .exit_code == 0);
    return read_file(dir / (name + ".json"));
  };
  const std::string a = run("a");
  CHECK(a == run("b"));
  const Json trace = Json::parse(a);
  std::map<std::string, int> counts;
  for (const auto& e : trace.at("traceEvents"))
    if (e.at("ph") == "X" || e.at("ph") == "i")
      ++counts[e.at("ph").get<std::string>() + ":" + e.at("name").get<std::string>()];
  // 2 jobs x 120 chunks x 5 phases; 4 rounds x 4 nodes x 2 jobs reports and as many answers.
  CHECK(counts["X:round_robin"] == 600);
  CHECK(counts["X:capacity_weighted"] == 600);
  CHECK(counts["X:report"] == 32);
  CHECK(counts["X:answer"] == 32);
  CHECK(counts["X:input"] == 0);  // the data is already on the nodes
  CHECK(counts["i:job round_robin starts"] == 1);
  CHECK(counts["i:job round_robin ends"] == 1);
  const Json summary = Json::parse(read_file(dir / "a" / "summary.json"));
  CHECK(trace.at("otherData").at("tasks_completed") == summary.at("metrics").at("tasks_completed"));
}

TEST_CASE("--trace-window and --trace-limit bound the trace and say so")
{
  const auto dir = work_dir("trace_bounds");
  const auto stream = scenario("stream_stable").string();
  const auto window = run_leptonsim({"run", stream, "--set", "/workload/duration=4s", "--out", (dir / "w").string(),
                                     "--trace", (dir / "w.json").string(), "--trace-window", "1s:1500ms", "-q"});
  REQUIRE(window.exit_code == 0);
  const Json w = Json::parse(read_file(dir / "w.json"));
  uint64_t slices = 0;
  for (const auto& e : w.at("traceEvents")) {
    if (e.at("ph") != "X")
      continue;
    ++slices;
    CHECK(ns(e.at("ts")) + ns(e.at("dur")) >= 1000000000);
    CHECK(ns(e.at("ts")) <= 1500000000);
  }
  CHECK(slices > 1000);
  CHECK(slices < 2 * 2000);  // about half a second of 2,000 readings/s, input and task each

  const auto limited = run_leptonsim({"run", stream, "--set", "/workload/duration=4s", "--out", (dir / "l").string(),
                                      "--trace", (dir / "l.json").string(), "--trace-limit", "100", "-q"});
  REQUIRE(limited.exit_code == 0);
  CHECK(limited.err.find("the trace stopped at 100 slices") != std::string::npos);
  const Json l = Json::parse(read_file(dir / "l.json"));
  CHECK(l.at("otherData").at("slices") == 100);
  CHECK(l.at("otherData").at("slices_dropped").get<uint64_t>() > 10000);
  CHECK(std::count_if(l.at("traceEvents").begin(), l.at("traceEvents").end(),
                      [](const Json& e) { return e.at("ph") == "X"; }) == 100);
}

TEST_CASE("bad trace options exit 2 and leave nothing behind")
{
  const auto dir = work_dir("trace_bad");
  const auto batch = scenario("seed_example_4_3").string();
  struct Case {
    std::vector<std::string> args;
    std::string expected;
  };
  const std::vector<Case> cases{
      {{"--trace", (dir / "t.json").string(), "--trace-window", "5s"}, "--trace-window: 5s: expected FROM:TO"},
      {{"--trace", (dir / "t.json").string(), "--trace-window", "2s:1s"}, "the window ends before it starts"},
      {{"--trace", (dir / "t.json").string(), "--trace-window", "1parsec:"}, "--trace-window: 1parsec:"},
      {{"--trace-window", "1s:2s"}, "--trace-window requires --trace"},
      {{"--trace", "/proc/leptonsim/t.json"}, "--trace: /proc/leptonsim/t.json: cannot"},
      {{"--paje", "/proc/leptonsim/t.paje"}, "--paje: /proc/leptonsim/t.paje: cannot write the file"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.expected);
    std::vector<std::string> args{"run", batch, "--out", (dir / "r").string(), "-q"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    const auto r = run_leptonsim(args);
    CHECK(r.exit_code == 2);
    CHECK_MESSAGE(r.err.find(c.expected) != std::string::npos, "stderr was: " << r.err);
    CHECK(fs::is_empty(dir));
  }
}

TEST_CASE("--paje passes SimGrid's own tracing through to a Paje file")
{
  const auto dir = work_dir("paje");
  const auto r   = run_leptonsim({"run", scenario("batch_heterogeneous").string(), "--out", (dir / "run").string(),
                                  "--paje", (dir / "run" / "simgrid.paje").string()});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("Paje trace: ") != std::string::npos);
  const std::string paje = read_file(dir / "run" / "simgrid.paje");
  CHECK(paje.find("%EventDef PajeDefineContainerType") != std::string::npos);
  CHECK(paje.find("rr.n1") != std::string::npos);  // hosts of the platform
  CHECK(paje.find("cw.switch") != std::string::npos);
  CHECK(fs::exists(dir / "run" / "summary.json"));
}
