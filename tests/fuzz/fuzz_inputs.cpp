// libFuzzer target over everything a user types before a simulation starts: a scenario or sweep
// file's JSON text, validation, and `--set` overrides. Bad input must give an InputError and
// nothing else: any other exception, a crash, a hang or a sanitizer report is a defect.
//
// An input is JSON text, optionally followed by override lines, each "\n--set /pointer=VALUE":
// the overrides apply to the document read as a scenario. The same document is also read as a
// sweep over a fixed base scenario, whose first and last runs are then validated as scenarios.
#include "models/json_input.hpp"
#include "models/overrides.hpp"
#include "models/scenario.hpp"
#include "models/sweep.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace {

using namespace leptonsim::models;

// A small base scenario for sweeps: two sites, a stream and a batch job, a few faults.
const char* base_text = R"({
  "name": "base", "seed": 7,
  "policy": {"name": "least_loaded"},
  "platform": {"sites": [
    {"name": "edge", "count": 2, "link": {"bandwidth": "1Gbps", "latency": "1ms"},
     "nodes": [{"name": "box", "count": 2, "speed": "1Gf", "cores": 2}]},
    {"name": "cloud", "kind": "cloud", "link": {"bandwidth": "10Gbps", "latency": "20ms"},
     "nodes": [{"name": "srv", "speed": "10Gf", "cores": 8}]}]},
  "workload": {"duration": "2s",
    "groups": [{"name": "sensors", "sensors": 10, "rate": 5, "flops": "10Mf", "bytes": "1kB",
                "targets": ["edge"]}],
    "jobs": [{"name": "job", "units": 100, "flops_per_unit": "1Mf"}]},
  "faults": {"events": [{"target": "edge-0.box-0", "down": "1s", "up": "1.5s"}]}
})";

const Json& base_scenario()
{
  static const Json base = parse_json_text(base_text, "base.json");
  return base;
}

void read_as_scenario(Json doc, const std::vector<Override>& overrides)
{
  try {
    apply_overrides(doc, overrides);
    parse_scenario(doc, "fuzz.json");
  } catch (const InputError&) {
  }
}

void read_as_sweep(const Json& doc)
{
  Sweep sweep;
  try {
    sweep = parse_sweep(doc, "fuzz-sweep.json", base_scenario(), "base.json");
  } catch (const InputError&) {
    return;
  }
  if (sweep.point_count() == 0)
    return;
  for (size_t point : {size_t{0}, sweep.point_count() - 1}) {
    read_as_scenario(base_scenario(), sweep.run_overrides(point));
    (void)sweep.point_values(point);
  }
  (void)sweep.replication_seed(sweep.replications - 1);
  (void)sweep.digest();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
  const std::string input(reinterpret_cast<const char*>(data), size);
  const std::string mark = "\n--set ";
  const size_t first     = input.find(mark);
  std::vector<std::string> sets;
  for (size_t at = first; at != std::string::npos;) {
    const size_t next = input.find(mark, at + mark.size());
    sets.push_back(input.substr(at + mark.size(), next == std::string::npos ? std::string::npos
                                                                             : next - at - mark.size()));
    at = next;
  }
  std::vector<Override> overrides;
  try {
    for (const auto& s : sets)
      overrides.push_back(parse_override(s));
  } catch (const InputError&) {
    overrides.clear();
  }
  Json doc;
  try {
    doc = parse_json_text(input.substr(0, first), "fuzz.json");
  } catch (const InputError&) {
    return 0;
  }
  read_as_scenario(doc, overrides);
  read_as_sweep(doc);
  try {
    parse_shard(input.substr(0, std::min<size_t>(input.size(), 24)));
  } catch (const InputError&) {
  }
  return 0;
}
