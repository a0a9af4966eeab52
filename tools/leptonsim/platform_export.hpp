// `leptonsim platform`: the platform a scenario builds, as a SimGrid platform file, and a copy of
// the scenario that reads its platform back from that file.
#pragma once

#include "models/json_input.hpp"
#include "models/platform_xml.hpp"
#include "models/scenario.hpp"

#include <string>

namespace leptonsim::cli {

// The scenario document `doc` (as parsed into `scenario`) with its platform replaced by one that
// reads `xml_reference` (a path relative to the new scenario's folder): the same sites, replicated
// the same way, the same nodes in the same order, and the same QPU.
models::Json scenario_reading_xml(const models::Scenario& scenario, const models::Json& doc,
                                  const std::string& xml_reference);

// Writes the XML (and the scenario copy when `scenario_out` is not empty); returns what the XML holds.
models::XmlCounts export_platform(const models::Scenario& scenario, const models::Json& doc, const std::string& xml_out,
                                  const std::string& scenario_out);

}  // namespace leptonsim::cli
