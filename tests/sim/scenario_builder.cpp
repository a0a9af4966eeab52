#include "scenario_builder.hpp"

namespace leptonsim::test {

models::Scenario scenario_from(const std::string& json_text)
{
  return models::parse_scenario(models::Json::parse(json_text), "test.json");
}

models::Json poisson_stream(int nodes, int cores, double speed, double readings_per_s, double flops, double duration,
                            const std::string& policy)
{
  using models::Json;
  Json doc;
  doc["name"]     = "stream";
  doc["seed"]     = 11;
  doc["policy"]   = {{"name", policy}};
  doc["platform"] = {
      {"sites",
       Json::array({{{"name", "edge"},
                     {"link", {{"bandwidth", "1Gbps"}, {"latency", "0.5ms"}}},
                     {"nodes", Json::array({{{"name", "n"}, {"count", nodes}, {"speed", speed}, {"cores", cores}}})}}})}};
  doc["workload"] = {{"duration", duration},
                     {"groups", Json::array({{{"name", "g"},
                                              {"site", "edge"},
                                              {"sensors", 1000},
                                              {"rate", readings_per_s / 1000.0},
                                              {"arrival", "poisson"},
                                              {"flops", flops},
                                              {"bytes", 100}}})}};
  return doc;
}

}  // namespace leptonsim::test
