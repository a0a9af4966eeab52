// The process's SimGrid engine, and SimGrid platform files as scenario platforms.
// A scenario whose platform is a SimGrid XML file needs SimGrid while it is parsed (to know the
// hosts and routes), and SimGrid fixes its models and starts its tracing when a platform is
// loaded: so the loader creates the engine with every setting of the run, and run_simulation()
// then uses that engine instead of creating one.
#pragma once

#include "models/platform_xml.hpp"
#include "models/scenario.hpp"

#include <simgrid/forward.h>

#include <memory>
#include <string>
#include <vector>

namespace leptonsim::sim {

// Creates the engine (once per process) and applies the network model's settings, then `extra`
// ("name:value", from --cfg and --paje); a setting SimGrid refuses is an InputError naming --cfg.
std::unique_ptr<simgrid::s4u::Engine> start_engine(const models::NetworkSpec& network,
                                                   const std::vector<std::string>& extra);

// A loader for models::parse_scenario(): starts the engine with `extra` settings and loads the
// file. The engine then lives until the process ends.
models::PlatformLoader xml_platform_loader(std::vector<std::string> extra);

// The engine a loader created, or nullptr.
simgrid::s4u::Engine* loaded_engine();

}  // namespace leptonsim::sim
