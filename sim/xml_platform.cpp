#include "sim/xml_platform.hpp"

#include "models/json_input.hpp"
#include "models/network_model.hpp"

#include <simgrid/plugins/energy.h>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Host.hpp>
#include <simgrid/s4u/Link.hpp>
#include <xbt/log.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace leptonsim::sim {
namespace {

std::atomic<bool> engine_started{false};
simgrid::s4u::Engine* loaded = nullptr;

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

class SimGridRoutes final : public models::RouteOracle {
public:
  std::vector<models::LinkSpec> route(const std::string& from_host, const std::string& to_host) const override
  {
    auto* from = simgrid::s4u::Host::by_name_or_null(from_host);
    auto* to   = simgrid::s4u::Host::by_name_or_null(to_host);
    if (!from || !to)
      throw std::runtime_error("no host named '" + (from ? to_host : from_host) + "'");
    std::vector<simgrid::s4u::Link*> links;
    double latency = 0;
    try {
      from->route_to(to, links, &latency);
    } catch (const std::exception& e) {
      throw std::runtime_error("SimGrid finds no route from '" + from_host + "' to '" + to_host +
                               "': " + first_line(e.what()));
    }
    std::vector<models::LinkSpec> out;
    for (const auto* l : links)
      out.push_back(models::LinkSpec{l->get_bandwidth(), l->get_latency(), models::LinkSharing::shared});
    return out;
  }
};

}  // namespace

std::unique_ptr<simgrid::s4u::Engine> start_engine(const models::NetworkSpec& network,
                                                   const std::vector<std::string>& extra)
{
  if (engine_started.exchange(true))
    throw std::logic_error("SimGrid allows one simulation per process; start a new process for the next run");
  // SimGrid's informational messages would drown the results; warnings and errors still show.
  xbt_log_control_set("root.thresh:warning");
  // Settings fixed by the build (LEPTONSIM_ENGINE_CFG, e.g. smaller actor stacks under the
  // sanitizers, docs/testing.md). Some, like the context factory, are read once, as the engine
  // starts, so they come on the command line that SimGrid parses.
  std::vector<std::string> args = {"leptonsim"};
#ifdef LEPTONSIM_ENGINE_CFG
  for (std::string_view rest = LEPTONSIM_ENGINE_CFG; !rest.empty();) {
    const size_t end = std::min(rest.find(';'), rest.size());
    if (end > 0)
      args.push_back("--cfg=" + std::string(rest.substr(0, end)));
    rest.remove_prefix(std::min(end + 1, rest.size()));
  }
#endif
  std::vector<char*> argv;
  for (auto& a : args)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  int argc    = static_cast<int>(args.size());
  auto engine = std::make_unique<simgrid::s4u::Engine>(&argc, argv.data());
  for (const auto& setting : models::simgrid_config(models::network_params(network)))
    simgrid::s4u::Engine::set_config(setting);
  for (const auto& setting : extra) {
    try {
      simgrid::s4u::Engine::set_config(setting);
    } catch (const std::exception& e) {
      throw models::InputError("--cfg", setting, "SimGrid refuses it: " + first_line(e.what()));
    }
  }
  return engine;
}

models::PlatformLoader xml_platform_loader(std::vector<std::string> extra)
{
  return [extra = std::move(extra)](const std::string& path, const models::NetworkSpec& network) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
      throw std::runtime_error("cannot open '" + path + "': " + std::strerror(errno));
    if (loaded)
      throw std::logic_error("a SimGrid platform is already loaded in this process");
    auto engine = start_engine(network, extra);
    // The energy plugin must watch the hosts as they are created: every node reports its energy.
    // A host without power figures draws nothing; SimGrid's plugin would stop the run when asked
    // for its energy, so it is given zero figures first (callbacks run in the order registered).
    // The file's own properties are what the scenario sees: hosts given zero figures here are
    // reported without them, so that the scenario can say they draw nothing.
    auto without_power = std::make_shared<std::set<std::string>>();
    simgrid::s4u::Host::on_creation_cb([without_power](simgrid::s4u::Host& host) {
      if (host.get_property("wattage_per_state") == nullptr) {
        host.set_property("wattage_per_state", "0:0:0");
        without_power->insert(host.get_name());
      }
    });
    sg_host_energy_plugin_init();
    try {
      engine->load_platform(path);
    } catch (const std::exception& e) {
      throw std::runtime_error("SimGrid cannot load it: " + first_line(e.what()));
    }
    loaded = engine.release();  // lives until the process ends, as the run needs it
    models::LoadedPlatform platform;
    for (auto* h : loaded->get_all_hosts()) {
      models::XmlHost host{h->get_name(), h->get_speed(), h->get_core_count(), {}};
      if (const auto* props = h->get_properties())
        host.properties.insert(props->begin(), props->end());
      if (without_power->count(host.name))
        host.properties.erase("wattage_per_state");
      platform.hosts.push_back(std::move(host));
    }
    platform.routes = std::make_shared<SimGridRoutes>();
    return platform;
  };
}

simgrid::s4u::Engine* loaded_engine() { return loaded; }

}  // namespace leptonsim::sim
