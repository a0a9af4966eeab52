// Command-line overrides: --set /json/pointer=VALUE edits the scenario document before it is
// validated, so an override is checked exactly like the file itself.
#pragma once

#include "models/json_input.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace leptonsim::models {

struct Override {
  std::string pointer;
  Json value;  // VALUE parsed as JSON when it is valid JSON, else taken as a string
  std::string text;
};

// Throws InputError (file "--set") when the argument is not of the form /pointer=VALUE.
Override parse_override(const std::string& argument);

// An RFC 6901 array index: decimal digits without a leading zero (and short enough for size_t).
bool is_array_index(std::string_view token);

// Applies in order. The pointer's parent must exist; the last token may add a key to an object or
// append to an array ("-" or the array's length). Throws InputError naming the override.
void apply_overrides(Json& document, const std::vector<Override>& overrides);

}  // namespace leptonsim::models
