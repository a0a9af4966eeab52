#include "tools/leptonsim/platform_export.hpp"

#include "models/topology.hpp"

#include <leptonsim/version.hpp>

#include <fmt/core.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace leptonsim::cli {
namespace {

namespace fs = std::filesystem;

void write_text(const std::string& path, const std::string& text, const char* option)
{
  std::error_code ec;
  const fs::path p(path);
  if (p.has_parent_path())
    fs::create_directories(p.parent_path(), ec);
  std::ofstream out(p, std::ios::binary);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.close();
  if (!out)
    throw models::InputError(option, path, std::string("cannot write the file: ") + std::strerror(errno));
}

// "district-0.edge-large" -> "district-{i}.edge-large" for the replicas of site "district".
std::string templated(const std::string& host, const std::string& replica0, bool replicated)
{
  if (!replicated || host.rfind(replica0 + ".", 0) != 0)
    return host;
  return replica0.substr(0, replica0.size() - 2) + "-{i}" + host.substr(replica0.size());
}

}  // namespace

models::Json scenario_reading_xml(const models::Scenario& scenario, const models::Json& doc,
                                  const std::string& xml_reference)
{
  const models::Platform& p = scenario.platform;
  const models::Json& declared = doc.at("platform");
  models::Json sites = models::Json::array();
  const models::Json& declared_sites = declared.at("sites");
  for (size_t k = 0; k < declared_sites.size(); ++k) {
    const std::string pointer = "/platform/sites/" + std::to_string(k);
    const models::Json& d     = declared_sites[k];
    // The first replica (or the site itself) stands for all: replicas differ only by their number.
    const models::Site* first = nullptr;
    for (const auto& site : p.sites)
      if (site.pointer == pointer) {
        first = &site;
        break;
      }
    if (!first)
      continue;
    const bool replicated = d.contains("count");
    models::Json site{{"name", d.at("name")}};
    if (d.contains("kind"))
      site["kind"] = d["kind"];
    if (replicated)
      site["count"] = d["count"];
    // A site of a SimGrid file has one set of cost figures for all its nodes.
    const models::Json none = nullptr;
    const models::Json* cost = nullptr;
    const models::Json& templates = d.contains("nodes") ? d.at("nodes") : models::Json::array();
    for (size_t t = 0; t < templates.size(); ++t) {
      const models::Json& c = templates[t].contains("cost") ? templates[t].at("cost") : none;
      if (t > 0 && c != *cost)
        throw models::InputError(scenario.file, pointer + "/nodes/" + std::to_string(t),
                                 "the nodes of this site have different cost figures, and a site read from a SimGrid "
                                 "file has one for all its nodes; --xml alone writes the platform");
      cost = &c;
    }
    if (cost && !cost->is_null())
      site["cost"] = *cost;
    site["entry"]         = templated(first->entry, first->name, replicated);
    models::Json nodes    = models::Json::array();
    for (size_t n : first->nodes)
      nodes.push_back(templated(p.nodes[n].name, first->name, replicated));
    site["nodes"] = nodes;
    sites.push_back(site);
  }
  models::Json platform{{"simgrid_xml", xml_reference}, {"sites", sites}};
  if (p.qpu) {
    const models::Json& q = declared.at("qpu");
    models::Json qpu{{"host", p.nodes[*p.qpu].name}, {"site", p.sites[p.nodes[*p.qpu].site].name}};
    for (const char* key : {"device", "calibration", "cost"})
      if (q.contains(key))
        qpu[key] = q[key];
    platform["qpu"] = qpu;
  }
  models::Json out  = doc;
  out["platform"]   = platform;
  return out;
}

models::XmlCounts export_platform(const models::Scenario& scenario, const models::Json& doc, const std::string& xml_out,
                                  const std::string& scenario_out)
{
  if (!scenario.platform.simgrid_xml.empty())
    throw models::InputError(scenario.file, "/platform/simgrid_xml",
                             "the platform already is a SimGrid platform file: " + scenario.platform.simgrid_xml);
  const models::Topology topology(scenario.platform);
  const std::string comment = fmt::format("platform of scenario {} ({}), written by leptonsim {}", scenario.name,
                                          fs::path(scenario.file).filename().string(), leptonsim::version);
  if (!scenario_out.empty()) {
    // A platform read from a SimGrid file has no backbone links of leptonsim's own to carry QKD.
    for (const auto& l : scenario.platform.links)
      if (l.qkd)
        throw models::InputError(scenario.file, l.pointer + "/qkd",
                                 "QKD on backbone links cannot be kept in a scenario that reads its platform from a "
                                 "SimGrid file; --xml alone writes the platform");
    std::error_code ec;
    const fs::path folder = fs::absolute(scenario_out, ec).parent_path();
    const std::string reference = fs::absolute(xml_out, ec).lexically_relative(folder).generic_string();
    const models::Json copy     = scenario_reading_xml(scenario, doc, reference);
    write_text(xml_out, models::platform_to_xml(scenario.platform, topology, comment), "--xml");
    write_text(scenario_out, copy.dump(2) + "\n", "--scenario");
  } else {
    write_text(xml_out, models::platform_to_xml(scenario.platform, topology, comment), "--xml");
  }
  return models::xml_counts(scenario.platform);
}

}  // namespace leptonsim::cli
